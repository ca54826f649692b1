/** `lockstep diff FROM TO`: effective-lock diff of two refs, as a table, JSON or Markdown. */
import type { Command } from 'commander';
import type { DiffResult } from '../../../shared/api/types';
import { diffToJson, groupBySource, type PackageChange } from '../../../shared/lockfile/diff';
import { diffToMarkdown } from '../../../shared/lockfile/diff-markdown';
import { diffRefs } from '../../services/review/diff';
import { usageError } from '../errors';
import { formatTable, printJson, printLine, writeOut } from '../output';
import { withRepo, withRepoOption } from '../repo-option';

const collect = (v: string, prev: string[]) => [...prev, v];

export function registerDiff(program: Command): void {
  withRepoOption(
    program
      .command('diff')
      .description('diff the effective locks of two refs (streams, commits, tags)')
      .argument('<from>')
      .argument('<to>'),
  )
    .option('--arch <arch>', 'only this arch (repeatable)', collect, [])
    .option('--no-overrides', 'diff the lockfiles alone, without applying overrides')
    .option('--json', 'print JSON')
    .option('--md', 'print Markdown (for a PR body or release notes)')
    .action(async (from: string, to: string, opts) => {
      if (opts.json && opts.md) throw usageError('diff: --json and --md exclude each other; pick one');
      const result = await withRepo(opts, (repo) =>
        diffRefs(repo, { from, to, arches: opts.arch, overrides: opts.overrides }),
      );
      if (opts.json) printJson(diffToJson(result.arches));
      else if (opts.md) writeOut(markdown(result));
      else printLine(human(result));
    });
}

function markdown(r: DiffResult): string {
  return diffToMarkdown(r.arches, {
    from: { label: r.from.input, commit: r.from.commit, date: r.from.date },
    to: { label: r.to.input, commit: r.to.commit, date: r.to.date },
    overrides: r.overrides,
  });
}

const mark = (c: PackageChange): string => {
  const o = c.to?.override ?? c.from?.override;
  return o ? `[${o.type ?? 'override'}${c.to?.override ? '' : ' before'}]` : '';
};

function human(r: DiffResult): string {
  const out: string[] = [];
  out.push(`${r.from.input} (${r.from.commit.slice(0, 12)}, ${r.from.date.slice(0, 10)}) -> ${r.to.input} (${r.to.commit.slice(0, 12)}, ${r.to.date.slice(0, 10)})${r.overrides ? '' : ', lockfiles only'}`);
  for (const d of r.arches) {
    out.push('');
    const c = d.counts;
    if (!d.fromHasLockfile && !d.toHasLockfile) {
      out.push(`${d.arch}: no lockfile on either side`);
      continue;
    }
    out.push(
      `${d.arch}: ${c.upgraded} upgraded, ${c.downgraded} downgraded, ${c.added} added, ${c.removed} removed, ${c.arch_changed} arch changed`,
    );
    const rows: string[][] = [];
    for (const g of groupBySource(d.changes)) {
      for (const ch of g.changes) {
        const from = ch.from ? (ch.kind === 'arch_changed' ? `${ch.from.evr}.${ch.from.arch}` : ch.from.evr) : '-';
        const to = ch.to ? (ch.kind === 'arch_changed' ? `${ch.to.evr}.${ch.to.arch}` : ch.to.evr) : '-';
        rows.push([`  ${ch.name === g.source ? ch.name : `${ch.name} (${g.source})`}`, from, '->', to, ch.kind.replace('_', ' '), mark(ch)]);
      }
    }
    if (rows.length) out.push(formatTable(rows));
    if (r.overrides && d.inertTo.length) out.push(`  inert overrides in ${r.to.input}: ${d.inertTo.map((o) => o.name).join(', ')}`);
  }
  return out.join('\n');
}
