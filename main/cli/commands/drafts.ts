/** `lockstep pin`, `unpin`, `drafts`, `discard`: drafting overrides as local branches. */
import { buildBinariesFrom, buildServices } from '../../services/drafts/from-builds';
import { SettingsStore } from '../../services/settings';
import type { Command } from 'commander';
import path from 'node:path';
import { describeState, shownState } from '../../../shared/drafts/lifecycle';
import { fileTokenStore, gitCredentialProvider } from '../../git/transport/credentials';
import { discardDraft } from '../../services/push/discard';
import { dataDir } from '../../services/settings';
import { AppError } from '../../../shared/errors';
import type { DraftRequestData } from '../../../shared/api/types';
import { DraftStore } from '../../services/drafts/store';
import { usageError } from '../errors';
import { packagesByName, printDryRun, warn } from '../draft-output';
import { formatTable, printJson, printLine } from '../output';
import { REPO_OPTIONS, withRepo, withRepoOption } from '../repo-option';
import { commandOf, type FastVerb, type VerbOptions, type VerbSpec } from '../verb-spec';
import { repairDrafts } from '../drafts-repair';
import { pinFromUpdates } from './from-update';

async function draft(req: DraftRequestData, opts: { repo: string; upstream: string; dryRun?: boolean; json?: boolean; branch?: string }, type: 'pin' | 'fast-track' | 'unpin') {
  await withRepo(opts, async (repo) => {
    const store = new DraftStore(repo);
    const prepared = await store.prepare(req);
    const errors = prepared.findings.filter((f) => f.severity === 'error');
    if (errors.length) throw new AppError('bad-input', errors.map((e) => e.message).join('; '), { package: errors[0].package });
    if (opts.dryRun) {
      warn(prepared);
      printDryRun(prepared, !!opts.json);
      return;
    }
    // Warnings and notes once the draft is written: a refusal is one line on stderr, alone.
    const rec = await store.commit(prepared, { type, branch: opts.branch });
    warn(prepared);
    if (opts.json) {
      printJson({ branch: rec.branch, commit: rec.head, base: rec.base, files: rec.files, packages: packagesByName(rec.packages, rec.perArch), per_arch: rec.perArch ?? {} });
    } else printLine(rec.branch);
  }, opts.dryRun ? undefined : repairDrafts);
}

const DRAFTS: VerbSpec = {
  name: 'drafts',
  description: 'list drafts and their state',
  args: [],
  options: [...REPO_OPTIONS, { flags: '--json', description: 'print JSON' }],
};

interface DraftsOptions {
  repo: string;
  upstream: string;
  json?: boolean;
}

/** Scripts (and the kill tests, after every kill) list drafts in loops: it starts without Commander (verb-spec.ts). */
export const draftsVerb: FastVerb = { spec: DRAFTS, run: (_args, opts) => listDrafts(opts as VerbOptions & DraftsOptions) };

async function listDrafts(opts: DraftsOptions): Promise<void> {
  const [list, broken] = await withRepo(opts, async (repo) => {
    const store = new DraftStore(repo);
    return Promise.all([store.list(), store.unreadable()]);
  }, repairDrafts);
  for (const u of broken) process.stderr.write(`lockstep: warning: draft ${u.branch}: its record ${u.file} ${u.why}; discard it with lockstep discard ${u.branch}\n`);
  if (opts.json) {
    printJson([
      ...list.map((d) => ({
        branch: d.branch,
        stream: d.stream,
        base: d.base,
        head: d.head,
        type: d.type,
        packages: packagesByName(d.packages, d.perArch),
        state: shownState(d.state, d),
        state_detail: d.edited ? `edited: its branch holds ${d.head.slice(0, 12)}, not ${d.written.slice(0, 12)} that Lockstep wrote; adopt or discard it` : describeState(d.state),
        stale: d.stale,
        edited: d.edited,
        conflicts_with: d.conflictsWith,
        needs_push: d.needsPush,
        allowed: d.allowed,
        push: d.push ? { remote: d.push.remote, remote_branch: d.push.remoteBranch, commit: d.push.commit, pr_url: d.push.prUrl } : null,
        srpms: d.srpms,
        promotion: d.promotion ? { source: d.promotion.source, commit: d.promotion.commit, source_moved: !!d.sourceMoved } : null,
        created: d.createdAt,
      })),
      ...broken.map((u) => ({ branch: u.branch, stream: null, base: null, head: u.head, type: null, packages: {}, state: 'unreadable', state_detail: `its record ${u.file} ${u.why}`, stale: false, needs_push: false, edited: false, conflicts_with: [], allowed: ['discard'] })),
    ]);
    return;
  }
  if (list.length === 0 && broken.length === 0) return printLine('No drafts.');
  printLine(
    formatTable([
      ['BRANCH', 'STREAM', 'TYPE', 'STATE', 'BASE', 'PACKAGES'],
      ...list.map((d) => [
        d.branch,
        d.stream,
        d.type,
        [d.edited ? 'edited by hand' : describeState(d.state), d.stale ? 'stale' : '', d.needsPush ? 'needs push' : '', d.conflictsWith.length ? `conflicts with ${d.conflictsWith.join(', ')}` : ''].filter(Boolean).join(', '),
        d.base.slice(0, 12),
        d.promotion ? `${d.promotion.source} at ${d.promotion.commit.slice(0, 12)}` : d.srpms.join(', '),
      ]),
      ...broken.map((u) => [u.branch, '?', '?', 'unreadable record', '?', '']),
    ]),
  );
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
    .option('--keep-reason', 'when the draft replaces an override, keep its reason and Bodhi links where none are given')
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
        { stream: opts.stream, action: opts.type, requests, reason: opts.reason, bodhi: opts.bodhi, arch: opts.arch, message: opts.message, signoff: opts.signoff, keepReason: opts.keepReason || undefined },
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

  commandOf(program, DRAFTS).action((opts: DraftsOptions) => listDrafts(opts));

  withRepoOption(program.command('rebase').description("re-apply a stale draft on its stream's new head").argument('<draft>'))
    .option('--redraft', "on a conflict, apply the draft's request again on the new head (same branch, same push record)")
    .option('--at <commit>', 'a promotion: make it again from this commit of its source (its name: the head)')
    .option('--json', 'print JSON')
    .action(async (branch: string, opts) => {
      // A draft from builds re-reads their binaries (the answer cache first: offline works).
      const buildBinaries = buildBinariesFrom(buildServices({ settings: new SettingsStore().read() }));
      const r = await withRepo(opts, (repo) => new DraftStore(repo).rebase(branch, { buildBinaries, redraft: !!opts.redraft, at: opts.at }), repairDrafts);
      if (opts.json) printJson({ status: r.status, branch, base: r.draft.base, head: r.draft.head, redundant: r.redundant, conflicts: r.conflicts });
      else if (r.status === 'up-to-date') printLine(`${branch} is up to date with ${r.draft.stream}`);
      else if (r.status === 'redundant') printLine(`${branch}: nothing left to do, ${r.draft.stream} already has ${r.redundant.join(', ')}; discard it with lockstep discard ${branch}`);
      else if (r.status === 'rebased') {
        printLine(`${branch} rebased on ${r.draft.stream} ${r.draft.base.slice(0, 12)}`);
        for (const x of r.redundant) printLine(`  dropped ${x}: the new base already has it or newer`);
      }
      if (r.status === 'conflict') {
        throw new AppError('conflict', `${branch}: ${r.conflicts.join(', ')} ${r.conflicts.length > 1 ? 'were' : 'was'} overridden on ${r.draft.stream} since this draft was based; review the stream's overrides, then lockstep rebase ${branch} --redraft applies the draft's request again on the new head (same branch, same pull request)`, { ref: branch });
      }
    });

  withRepoOption(program.command('discard').description('delete a draft (its branch and metadata)').argument('<draft>'))
    .option('--delete-remote', 'also delete the remote branch it was pushed to, only while it holds the commit pushed there')
    .action(async (branch: string, opts) => {
      const credentials = opts.deleteRemote ? gitCredentialProvider(fileTokenStore(path.join(dataDir(), 'tokens.json'))) : undefined;
      const r = await withRepo(opts, (repo) => discardDraft(repo, branch, { deleteRemote: !!opts.deleteRemote, credentials }), repairDrafts);
      if (r.remote === 'gone') process.stderr.write(`lockstep: note: the remote branch of ${branch} was already deleted\n`);
    });

  withRepoOption(program.command('adopt').description("take the commit a draft's branch holds now (amended or moved by hand) as the draft").argument('<draft>'))
    .action(async (branch: string, opts) => {
      const d = await withRepo(opts, (repo) => new DraftStore(repo).adopt(branch), repairDrafts);
      printLine(`${branch} adopted at ${d.head.slice(0, 12)}${d.stale ? `; it is stale on ${d.stream}: lockstep rebase ${branch}` : ''}`);
    });
}
