/** `lockstep promote SOURCE --stream TARGET`: the promotion as release engineering makes it, as a draft. */
import type { Command } from 'commander';
import { diffToJson } from '../../../shared/lockfile/diff';
import { explainRule } from '../../../shared/promotion/explain';
import { draftPromotion } from '../../services/promotion/promote';
import { printJson, printLine } from '../output';
import { repairDrafts } from '../drafts-repair';
import { withRepo, withRepoOption } from '../repo-option';

export function registerPromote(program: Command): void {
  withRepoOption(program.command('promote').description("draft a promotion: SOURCE's tree on the target stream, with the target's own manifest.yaml, STREAM=/DESCRIPTION= and snoozes disabled").argument('<source>', 'the stream promoted from (testing-devel)'))
    .requiredOption('--stream <target>', 'the stream the promotion goes to (testing)')
    .option('--at <commit>', "a commit of SOURCE to promote instead of its head")
    .option('--dry-run', 'print the promotion and write nothing')
    .option('--json', 'print JSON')
    .action(async (source: string, opts) => {
      await withRepo(opts, async (repo) => {
        const { prepared: p, draft, existing } = await draftPromotion(repo, { source, target: opts.stream, at: opts.at, dryRun: opts.dryRun });
        if (existing) process.stderr.write(`lockstep: note: ${draft!.branch} already drafts this promotion on this head\n`);
        if (opts.json) {
          printJson({
            branch: draft?.branch ?? null,
            commit: draft?.head ?? null,
            base: p.base,
            source: p.source,
            source_commit: p.commit,
            subject: p.message.trimEnd(),
            files: p.files,
            kept: p.rules.map((r) => ({ file: r.file, status: r.status, lines: 'lines' in r ? r.lines : [], explanation: explainRule(r, p.source, p.target) })),
            effect: diffToJson(p.effect),
          });
        } else if (draft) {
          printLine(draft.branch);
        } else {
          printLine(`Promotion of ${p.source} at ${p.commit} onto ${p.target} at ${p.base.slice(0, 12)} (dry run: nothing written)`);
          printLine('');
          printLine(`    ${p.message.trimEnd()}`);
          printLine('');
          printLine(`Changes ${p.files.length} ${p.files.length === 1 ? 'path' : 'paths'}: ${p.files.join(', ')}`);
          printLine('Kept per stream:');
          for (const r of p.rules) printLine(`  ${r.file}: ${explainRule(r, p.source, p.target)}`);
          const moves = p.effect.reduce((n, d) => n + d.changes.length, 0);
          printLine(`Effect: ${moves} package ${moves === 1 ? 'change' : 'changes'} on the effective locks (lockstep diff ${p.target} ${p.commit.slice(0, 12)} lists them).`);
        }
      }, opts.dryRun ? undefined : repairDrafts);
    });
}
