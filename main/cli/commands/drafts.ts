/** `lockstep pin`, `unpin`, `drafts`, `discard`: drafting overrides as local branches. */
import { buildBinariesFrom, buildServices } from '../../services/drafts/from-builds';
import { SettingsStore } from '../../services/settings';
import type { Command } from 'commander';
import { describeState } from '../../../shared/drafts/lifecycle';
import { AppError } from '../../../shared/errors';
import { diffToJson } from '../../../shared/lockfile/diff';
import { copyRecord, hasName } from '../../../shared/records';
import { unifiedDiff } from '../../../shared/text/line-diff';
import type { DraftRequestData } from '../../../shared/api/types';
import { DraftStore, type PreparedDraft } from '../../services/drafts/store';
import { usageError } from '../errors';
import { formatTable, printJson, printLine, writeOut } from '../output';
import { withRepo, withRepoOption } from '../repo-option';
import { pinFromUpdates } from './from-update';

export function warn(p: PreparedDraft): void {
  for (const f of p.findings.filter((x) => x.severity === 'warning')) process.stderr.write(`lockstep: warning: ${f.message}\n`);
  for (const n of p.plan.notes) process.stderr.write(`lockstep: note: ${n}\n`);
}

/** The `--dry-run --json` object of one prepared draft. */
export function dryRunJson(p: PreparedDraft) {
  return {
    branch: null,
    commit: null,
    base: p.base,
    files: Object.keys(p.texts),
    packages: packagesByName(p.plan.packages, p.plan.perArch),
    per_arch: p.plan.perArch,
    message: p.message,
    effect: diffToJson(p.effect),
    findings: p.findings,
  };
}

export function printDryRun(p: PreparedDraft, json: boolean): void {
  if (json) {
    printJson(dryRunJson(p));
    return;
  }
  printLine(`Draft on ${p.stream} at ${p.base.slice(0, 12)} (dry run: nothing written)`);
  printLine('');
  for (const line of p.message.replace(/\n$/, '').split('\n')) printLine(`    ${line}`);
  printLine('');
  for (const [file, [before, after]] of Object.entries(p.texts)) writeOut(unifiedDiff(file, before, after));
  printLine('');
  printLine('Effect on the effective locks:');
  if (p.effect.every((d) => d.changes.length === 0)) printLine('  (none: no effective version changes)');
  for (const d of p.effect) {
    for (const c of d.changes) printLine(`  ${d.arch}: ${c.name} ${c.from?.evr ?? '-'} -> ${c.to?.evr ?? '-'} (${c.kind.replace('_', ' ')})`);
  }
}

/** `{name: evr or evra}`: all-arch entries as written, per-arch ones by their first arch's evra. */
export function packagesByName(pkgs: Record<string, string>, perArch: Record<string, Record<string, string>> = {}): Record<string, string> {
  const out = copyRecord(pkgs);
  for (const [name, per] of Object.entries(perArch)) if (!hasName(out, name)) out[name] = Object.values(per)[0];
  return out;
}

async function draft(req: DraftRequestData, opts: { repo: string; upstream: string; dryRun?: boolean; json?: boolean; branch?: string }, type: 'pin' | 'fast-track' | 'unpin') {
  await withRepo(opts, async (repo) => {
    const store = new DraftStore(repo);
    const prepared = await store.prepare(req);
    const errors = prepared.findings.filter((f) => f.severity === 'error');
    if (errors.length) throw new AppError('bad-input', errors.map((e) => e.message).join('; '), { package: errors[0].package });
    warn(prepared);
    if (opts.dryRun) {
      printDryRun(prepared, !!opts.json);
      return;
    }
    const rec = await store.commit(prepared, { type, branch: opts.branch });
    if (opts.json) {
      printJson({ branch: rec.branch, commit: rec.head, base: rec.base, files: rec.files, packages: packagesByName(rec.packages, rec.perArch), per_arch: rec.perArch ?? {} });
    } else printLine(rec.branch);
  }, { repair: !opts.dryRun });
}

export function registerDrafts(program: Command): void {
  withRepoOption(
    program
      .command('pin')
      .description('draft a pin or fast-track: PACKAGE EVR pairs (binary or source package names), or --update / --srpm')
      .argument('[package-evr...]', 'PACKAGE EVR [PACKAGE EVR]...'),
  )
    .option('--stream <stream>', 'the stream to draft on (with --update/--srpm: repeatable, one draft each)', (v: string, prev: string[]) => [...prev, v], [])
    .option('--type <type>', 'pin or fast-track (default with --update: fast-track; with --srpm: pin)')
    .option('--update <id-or-url...>', 'Bodhi update IDs or URLs: their builds, resolved through Bodhi and Koji')
    .option('--srpm <nvr...>', 'source NVRs: their builds, resolved through Koji')
    .option('--ignore-dist-mismatch', "draft builds whose dist tag is not the stream's release")
    .option('--offline', 'with --update/--srpm: answer from the cache only')
    .option('--reason <url>', 'why: a URL (required for a pin)')
    .option('--bodhi <url>', 'the Bodhi update URL (expected for a fast-track)')
    .option('--arch <arch>', "write per-arch entries in this arch's override file")
    .option('-m, --message <message>', 'the whole commit message, replacing the composed one')
    .option('--signoff', 'add a Signed-off-by trailer')
    .option('--branch <name>', 'the draft branch name (default lockstep/<stream>/<srpm>-<version>-<release>)')
    .option('--dry-run', 'print the change and write nothing')
    .option('--json', 'print JSON')
    .action(async (args: string[], opts) => {
      if (opts.update || opts.srpm) return pinFromUpdates(args, opts);
      if (opts.stream.length !== 1) throw usageError(opts.stream.length ? 'pin: one --stream for PACKAGE EVR pairs' : "required option '--stream <stream>' not specified");
      opts.stream = opts.stream[0];
      if (args.length === 0) throw usageError('pin: give PACKAGE EVR pairs, or --update / --srpm');
      if (!opts.type) throw usageError("required option '--type <type>' not specified");
      if (opts.type !== 'pin' && opts.type !== 'fast-track') throw usageError(`--type must be pin or fast-track, not "${opts.type}"`);
      if (args.length % 2 !== 0) throw usageError(`pin: give PACKAGE EVR pairs; "${args[args.length - 1]}" has no EVR`);
      const requests = [];
      for (let i = 0; i < args.length; i += 2) requests.push({ name: args[i], evr: args[i + 1] });
      await draft(
        { stream: opts.stream, action: opts.type, requests, reason: opts.reason, bodhi: opts.bodhi, arch: opts.arch, message: opts.message, signoff: opts.signoff },
        opts,
        opts.type,
      );
    });

  withRepoOption(program.command('unpin').description('draft the removal of overrides').argument('<package...>'))
    .requiredOption('--stream <stream>', 'the stream to draft on')
    .option('-m, --message <message>', 'the whole commit message')
    .option('--signoff', 'add a Signed-off-by trailer')
    .option('--branch <name>', 'the draft branch name')
    .option('--dry-run', 'print the change and write nothing')
    .option('--json', 'print JSON')
    .action(async (names: string[], opts) => {
      await draft(
        { stream: opts.stream, action: 'unpin', requests: names.map((name) => ({ name })), message: opts.message, signoff: opts.signoff },
        opts,
        'unpin',
      );
    });

  withRepoOption(program.command('drafts').description('list drafts and their state'))
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const list = await withRepo(opts, (repo) => new DraftStore(repo).list(), { repair: true });
      if (opts.json) {
        printJson(
          list.map((d) => ({
            branch: d.branch,
            stream: d.stream,
            base: d.base,
            head: d.head,
            type: d.type,
            packages: packagesByName(d.packages, d.perArch),
            state: d.state.kind,
            state_detail: describeState(d.state),
            stale: d.stale,
            needs_push: d.needsPush,
            allowed: d.allowed,
            push: d.push ? { remote: d.push.remote, remote_branch: d.push.remoteBranch, commit: d.push.commit, pr_url: d.push.prUrl } : null,
            srpms: d.srpms,
            promotion: d.promotion ? { source: d.promotion.source, commit: d.promotion.commit, source_moved: !!d.sourceMoved } : null,
            created: d.createdAt,
          })),
        );
        return;
      }
      if (list.length === 0) return printLine('No drafts.');
      printLine(
        formatTable([
          ['BRANCH', 'STREAM', 'TYPE', 'STATE', 'BASE', 'PACKAGES'],
          ...list.map((d) => [d.branch, d.stream, d.type, [describeState(d.state), d.stale ? 'stale' : '', d.needsPush ? 'needs push' : ''].filter(Boolean).join(', '), d.base.slice(0, 12), d.promotion ? `${d.promotion.source} at ${d.promotion.commit.slice(0, 12)}` : d.srpms.join(', ')]),
        ]),
      );
    });

  withRepoOption(program.command('rebase').description("re-apply a stale draft on its stream's new head").argument('<draft>'))
    .option('--at <commit>', 'a promotion: make it again from this commit of its source (its name: the head)')
    .option('--json', 'print JSON')
    .action(async (branch: string, opts) => {
      // A draft from builds re-reads their binaries (the answer cache first: offline works).
      const buildBinaries = buildBinariesFrom(buildServices({ settings: new SettingsStore().read() }));
      const r = await withRepo(opts, (repo) => new DraftStore(repo).rebase(branch, { buildBinaries, at: opts.at }), { repair: true });
      if (opts.json) printJson({ status: r.status, branch, base: r.draft.base, head: r.draft.head, redundant: r.redundant, conflicts: r.conflicts });
      else if (r.status === 'up-to-date') printLine(`${branch} is up to date with ${r.draft.stream}`);
      else if (r.status === 'redundant') printLine(`${branch}: nothing left to do, ${r.draft.stream} already has ${r.redundant.join(', ')}; discard it with lockstep discard ${branch}`);
      else if (r.status === 'rebased') {
        printLine(`${branch} rebased on ${r.draft.stream} ${r.draft.base.slice(0, 12)}`);
        for (const x of r.redundant) printLine(`  dropped ${x}: the new base already has it or newer`);
      }
      if (r.status === 'conflict') {
        throw new AppError('conflict', `${branch}: ${r.conflicts.join(', ')} ${r.conflicts.length > 1 ? 'were' : 'was'} overridden on ${r.draft.stream} since this draft was based; review the stream's overrides, then discard this draft and draft again`, { ref: branch });
      }
    });

  withRepoOption(program.command('discard').description('delete a draft (its branch and metadata)').argument('<draft>'))
    .action(async (branch: string, opts) => {
      await withRepo(opts, (repo) => new DraftStore(repo).discard(branch), { repair: true });
    });
}
