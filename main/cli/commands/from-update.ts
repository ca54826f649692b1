/**
 * Drafting from a Bodhi update or source NVRs (`pin --update`, `pin --srpm`), listing an
 * update's source NVRs (`srpms`), and checking a draft's NEVRAs against the build pool
 * (`available`): what the upstream `ci/overrides.py` and its workflow do, offline-first.
 */
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import { draftAvailability } from '../../services/fedora/availability';
import { fetchUpdate } from '../../services/fedora/bodhi';
import { DraftStore } from '../../services/drafts/store';
import { adviseStreams, buildServices, prepareFromBuilds, resolveSrpms, resolveUpdates } from '../../services/drafts/from-builds';
import { releaseUpdateOf } from '../../services/fedora/release-update';
import { SettingsStore } from '../../services/settings';
import { usageError } from '../errors';
import { formatTable, printJson, printLine, terminalText } from '../output';
import { withRepo, withRepoOption } from '../repo-option';
import { dryRunJson, packagesByName, printAdvice, printDryRun, warn } from '../draft-output';

export interface FromUpdateOptions {
  repo: string;
  upstream: string;
  update?: string[];
  srpm?: string[];
  stream: string[];
  type?: string;
  reason?: string;
  bodhi?: string;
  arch?: string;
  message?: string;
  signoff?: boolean;
  branch?: string;
  ignoreDistMismatch?: boolean;
  offline?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** `pin --update ID_OR_URL... | --srpm NVR... --stream S...`: one draft per stream, branches in --stream order. */
export async function pinFromUpdates(args: string[], opts: FromUpdateOptions): Promise<void> {
  if (opts.update?.length && opts.srpm?.length) throw usageError('pin: give --update or --srpm, not both');
  if (args.length) throw usageError(`pin: PACKAGE EVR pairs cannot go with --update/--srpm ("${args[0]}")`);
  if (!opts.stream.length) throw usageError("pin: required option '--stream <stream>' not specified");
  for (const [flag, given] of [['--bodhi', opts.bodhi], ['--arch', opts.arch], ['--branch', opts.branch]] as const) {
    // The update's own URL is metadata.bodhi; arches and branch names follow from the builds.
    if (given) throw usageError(`pin: ${flag} cannot go with --update/--srpm`);
  }
  const action = opts.type ?? (opts.update?.length ? 'fast-track' : 'pin');
  if (action !== 'pin' && action !== 'fast-track') throw usageError(`--type must be pin or fast-track, not "${action}"`);
  const dup = opts.stream.find((s, i) => opts.stream.indexOf(s) !== i);
  if (dup) throw usageError(`pin: --stream ${dup} is given twice`);
  const settings = new SettingsStore().read();
  const services = buildServices({ settings, offline: opts.offline });
  const builds = opts.update?.length ? (await resolveUpdates(opts.update, services)).builds : await resolveSrpms(opts.srpm ?? [], services);
  await withRepo(opts, async (repo) => {
    const drafts = await prepareFromBuilds(repo, {
      streams: opts.stream,
      action,
      builds,
      reason: opts.reason,
      ignoreDistMismatch: opts.ignoreDistMismatch,
      releaseUpdate: (source, release) => releaseUpdateOf(source, release, services.bodhi),
      ownSources: settings.fcosOwnPackages,
      message: opts.message,
      signoff: opts.signoff,
    }).catch((err: unknown) => {
      throw withCliHint(err);
    });
    // Every stream is checked before any draft is written: a refusal changes nothing.
    for (const d of drafts) {
      const errors = d.prepared.findings.filter((f) => f.severity === 'error');
      if (errors.length) throw new AppError('bad-input', `${d.prepared.stream}: ${errors.map((e) => e.message).join('; ')}`, { package: errors[0].package, ref: d.prepared.stream });
    }
    for (const d of drafts) {
      warn(d.prepared);
      if (d.skipped.length) process.stderr.write(`lockstep: note: ${d.prepared.stream}: no lockfile lists ${d.skipped.join(', ')}: skipped\n`);
      for (const [name, arches] of Object.entries(d.notBuiltFor)) {
        process.stderr.write(`lockstep: note: ${d.prepared.stream}: the build has no ${name} for ${arches.join(', ')}: those arches keep their version\n`);
      }
    }
    // What reviewers would say, said now: notes only, the exit status is unchanged.
    printAdvice((await adviseStreams(repo, builds, { action, streams: opts.stream })).findings);
    if (opts.dryRun) {
      // Several streams with --json: one array, so stdout stays one JSON document.
      if (opts.json && drafts.length > 1) printJson(drafts.map((d) => ({ stream: d.prepared.stream, ...dryRunJson(d.prepared) })));
      else for (const d of drafts) printDryRun(d.prepared, !!opts.json);
      return;
    }
    const store = new DraftStore(repo);
    const out = [];
    for (const d of drafts) {
      const rec = await store.commit(d.prepared, { type: action });
      out.push({ branch: rec.branch, stream: rec.stream, commit: rec.head, base: rec.base, files: rec.files, packages: packagesByName(rec.packages, rec.perArch), per_arch: rec.perArch ?? {} });
      if (!opts.json) printLine(rec.branch);
    }
    // One stream: the object `pin --json` always printed; several: one per stream, in order.
    if (opts.json) printJson(out.length === 1 ? out[0] : out);
  });
}

const collect = (v: string, prev: string[]) => [...prev, v];

export function registerFromUpdate(program: Command): void {
  program
    .command('srpms')
    .description("list a Bodhi update's source NVRs, one a line")
    .argument('<id-or-url>', 'update ID (FEDORA-2024-…) or its Bodhi URL')
    .option('--offline', 'answer from the cache only')
    .option('--json', 'print JSON')
    .action(async (id: string, opts) => {
      const services = buildServices({ settings: new SettingsStore().read(), offline: opts.offline });
      const { value, from, fetched } = await fetchUpdate(id, services.bodhi);
      if (from === 'cache' && !opts.offline) process.stderr.write(`lockstep: note: Bodhi could not be reached: answering from the cache (${fetched})\n`);
      if (opts.json) printJson({ alias: value.alias, url: value.url, srpms: value.builds, dist_tag: value.distTag });
      else for (const nvr of value.builds) printLine(terminalText(nvr));
    });

  withRepoOption(program.command('available').description("check a draft's NEVRAs against the build pool's rpm-md metadata").argument('<draft>'))
    .option('--repo-url <url>', 'an rpm-md repo to check ($basearch, $releasever expand; repeatable; default the FCOS build pool)', collect, [])
    .option('--offline', 'do not fetch: answer from the cache')
    .option('--json', 'print JSON')
    .action(async (branch: string, opts) => {
      const urls = opts.repoUrl.length ? opts.repoUrl : new SettingsStore().read().buildPoolRepos;
      const report = await withRepo(opts, (repo) => draftAvailability(repo, branch, { urls, offline: opts.offline }));
      for (const [arch, why] of Object.entries(report.errors)) process.stderr.write(`lockstep: warning: could not read the ${arch} repos (${terminalText(why)}); ${report.rows.some((r) => r.arch === arch && r.checked) ? 'answering from the cache' : 'no cache: unknown'}\n`);
      if (opts.json) return printJson(report.rows);
      if (report.rows.length === 0) return printLine(`${branch} changes no package.`);
      printLine(formatTable([['NEVRA', 'ARCH', 'STATUS', 'CHECKED'], ...report.rows.map((r) => [r.nevra, r.arch, r.status, r.checked ?? '-'])]));
      const missing = report.rows.filter((r) => r.status === 'missing').length;
      if (missing) printLine(`\n${missing} missing: a compose with this draft would fail; check the builds are tagged into the pool.`);
    });
}

/** A dist-tag refusal says, in the CLI's words, the command that drafts the offered update or forces this one. */
function withCliHint(err: unknown): unknown {
  if (!(err instanceof AppError) || !err.data.distMismatch) return err;
  const offer = err.data.offer as { alias: string } | undefined;
  const hint = offer
    ? ` (lockstep pin --update ${offer.alias} --stream ${String(err.data.ref)}), or pass --ignore-dist-mismatch to draft this build anyway`
    : '; pass --ignore-dist-mismatch to draft it anyway';
  return new AppError(err.code, `${err.message}${hint}`, err.data);
}
