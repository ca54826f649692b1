/**
 * Advisories and carries (SPEC §2.16): Bodhi's security updates for the sources each stream
 * locks, asked through its list API in batches of 100 sources per release (every page read),
 * each batch's answer cached so both work offline. The CLI verbs and the app's handlers call
 * these functions.
 */
import {
  buildArgsRelease,
  buildEvr,
  carriedSince,
  isCarried,
  lockedSources,
  missingAdvisories,
  acceptedUpdates,
  readUpdatePage,
  releaseFix,
  compareAdvisories,
  LISTED_STATUSES,
  type AdvisoriesReport,
  type AdvisoryRow,
  type StreamAdvisories,
  type CarriesRow,
  type LockedSource,
  type SecurityUpdate,
} from '../../../shared/bodhi/advisories';
import { bodhiErrorMessage } from '../../../shared/bodhi/update';
import { isUpdateAlias, parseSourceNvr, parseUpdateId } from '../../../shared/bodhi/update-id';
import { snapshotRelease } from '../../../shared/drafts/validate';
import { AppError } from '../../../shared/errors';
import { own } from '../../../shared/records';
import { firstParents } from '../../git/first-parent';
import { HistoryIndex } from '../history/history-index';
import type { ConfigRepo } from '../review/config-repo';
import { listStreams } from '../review/streams';
import { urlKey } from './answer-cache';
import { fetchUpdate, type ServiceOptions } from './bodhi';
import { getCapped, jsonOf, LIMITS } from './http';

const SERVICE = 'bodhi-security';
/** Sources per request: URLs stay short (100 names ≈ 3 kB) and Bodhi's budget holds (SPEC §5). */
export const BATCH = 100;
const ROWS_PER_PAGE = 100;

/** A stream's Fedora release: build-args.conf's `VERSION=` when the file has one, else its lockfile's most common `.fcNN`. */
export function streamRelease(repo: ConfigRepo, commit: string): number | null {
  const entry = repo.store.readTree(repo.commit(commit).tree).find((e) => e.name === 'build-args.conf' && e.type === 'blob');
  const fromArgs = entry ? buildArgsRelease(repo.readText(entry.oid)) : null;
  return fromArgs ?? snapshotRelease(repo.snapshot(commit));
}

/** The list API's URL for one batch and page: repeated `packages` and `status`, as Bodhi's schema reads them. */
export function securityListUrl(baseUrl: string, release: number, sources: readonly string[], page: number): string {
  const q = new URLSearchParams();
  for (const s of sources) q.append('packages', s);
  q.append('releases', `F${release}`);
  q.append('type', 'security');
  for (const s of LISTED_STATUSES) q.append('status', s);
  q.append('rows_per_page', String(ROWS_PER_PAGE));
  q.append('page', String(page));
  return `${baseUrl}/updates/?${q.toString()}`;
}

/** A cached batch goes through the same check as Bodhi's answer; one it would not accept is dropped. */
const checkCached = (release: number) => (v: unknown): SecurityUpdate[] => {
  if (!Array.isArray(v)) throw new Error('not a list');
  const { updates } = acceptedUpdates(v, release, 'in the cache');
  if (updates.length !== v.length) throw new Error('an entry Bodhi would not have answered');
  return updates;
};

/** Every page of one batch, online. A refused release or a malformed page is an error; nothing is cached then. */
async function fetchBatch(release: number, sources: readonly string[], opts: ServiceOptions): Promise<{ updates: SecurityUpdate[]; raw: unknown[] }> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const out = { updates: [] as SecurityUpdate[], raw: [] as unknown[] };
  for (let page = 1, pages = 1; page <= pages; page++) {
    const url = securityListUrl(opts.baseUrl, release, sources, page);
    const got = await getCapped(url, { service: 'Bodhi', deadline, maxBytes: LIMITS.jsonBytes, accept: 'application/json' });
    const body = jsonOf(got.body);
    if (got.status === 400) {
      const detail = bodhiErrorMessage(body);
      throw new AppError('network', `Bodhi (${opts.baseUrl}) refused the query for F${release}${detail ? `: ${detail}` : ''}`, { service: 'bodhi', release, refused: true });
    }
    if (got.status !== 200) throw new AppError('network', `Bodhi (${opts.baseUrl}) answered HTTP ${got.status} for F${release}'s security updates`, { service: 'bodhi', release });
    if (body === undefined) throw new AppError('network', `Bodhi (${opts.baseUrl}) answered something that is not JSON for F${release}'s security updates`, { service: 'bodhi', release });
    const p = readUpdatePage(body, { release, page, where: `for F${release} page ${page}` });
    out.updates.push(...p.updates);
    out.raw.push(...p.raw);
    pages = p.pages;
  }
  return out;
}

export interface ReleaseUpdates {
  release: number;
  updates: SecurityUpdate[];
  /** The oldest answer used (ISO), and whether any came from the cache. */
  fetched: string | null;
  fromCache: boolean;
  /** Why Bodhi could not answer (then the cache did, or nothing: `updates` empty). */
  error: string | null;
  /** True when no answer is known at all for some batch. */
  unknown: boolean;
  /** Bodhi refused the release itself (it knows no such release): not a network failure. */
  refused: boolean;
}

/** The security updates of one release for some sources: Bodhi when online (cached), else the cache. */
export async function securityUpdates(release: number, sources: readonly string[], opts: ServiceOptions): Promise<ReleaseUpdates> {
  const sorted = [...new Set(sources)].sort();
  const out: ReleaseUpdates = { release, updates: [], fetched: null, fromCache: false, error: null, unknown: false, refused: false };
  const seen = new Set<string>();
  const add = (list: SecurityUpdate[], fetched: string) => {
    for (const u of list) if (!seen.has(u.alias)) (seen.add(u.alias), out.updates.push(u));
    if (!out.fetched || fetched < out.fetched) out.fetched = fetched;
  };
  for (let i = 0; i < sorted.length; i += BATCH) {
    const batch = sorted.slice(i, i + BATCH);
    // The key is the batch's first page URL without its base, so a cache made through one
    // mirror of Bodhi is not mistaken for another's answer to other sources.
    const key = urlKey(securityListUrl(opts.baseUrl, release, batch, 1));
    const cached = () => opts.cache.read(SERVICE, key, checkCached(release));
    if (opts.offline) {
      const c = cached();
      if (c) (add(c.value, c.fetched), (out.fromCache = true));
      else out.unknown = true;
      continue;
    }
    try {
      const list = await fetchBatch(release, batch, opts);
      const saved = await opts.cache.write(SERVICE, key, list.raw);
      add(list.updates, saved.fetched);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      out.error ??= err.message;
      if (err.data.refused) out.refused = true;
      const c = cached();
      if (c) (add(c.value, c.fetched), (out.fromCache = true));
      else out.unknown = true;
    }
  }
  return out;
}

/** One stream as the advisories read it. */
export interface StreamLocks {
  stream: string;
  head: string;
  release: number | null;
  locked: Map<string, LockedSource>;
}

async function readStreams(repo: ConfigRepo, wanted: readonly string[] | undefined): Promise<StreamLocks[]> {
  const all = await listStreams(repo);
  const names = wanted?.length ? wanted : all.map((b) => b.name);
  const out: StreamLocks[] = [];
  for (const name of names) {
    const head = all.find((b) => b.name === name)?.oid ?? (await repo.resolve(name).catch(() => null))?.oid;
    if (!head) throw new AppError('not-found', `no stream "${name}": see lockstep streams`, { ref: name });
    out.push({ stream: name, head, release: streamRelease(repo, head), locked: lockedSources(repo.snapshot(head)) });
  }
  return out;
}


/** The security updates each stream is missing. Throws when no release could be answered at all. */
export async function advisories(repo: ConfigRepo, opts: ServiceOptions & { streams?: readonly string[]; severity?: string }): Promise<AdvisoriesReport> {
  const streams = await readStreams(repo, opts.streams);
  const answers = new Map<number, ReleaseUpdates>();
  for (const [release, sources] of sourcesByRelease(streams)) answers.set(release, await securityUpdates(release, [...sources], opts));
  const answered = [...answers.values()].filter((a) => !a.unknown || a.updates.length);
  // Only a release Bodhi refused is left unanswered with a warning; no answer at all is an error.
  if (answers.size && !answered.length && [...answers.values()].some((a) => !a.refused)) {
    const why = [...answers.values()].map((a) => a.error).find(Boolean);
    throw new AppError('network', why ? `${why}; nothing is cached` : `offline: no cached Bodhi answer for the security updates of ${[...answers.keys()].map((r) => `F${r}`).join(', ')}; run once with the network to cache them`, { service: 'bodhi' });
  }
  const rows: AdvisoryRow[] = [];
  const per: StreamAdvisories[] = [];
  for (const s of streams) {
    const a = s.release === null ? null : answers.get(s.release)!;
    let mine = a ? missingAdvisories(s.stream, s.release!, s.locked, a.updates) : [];
    if (opts.severity) mine = mine.filter((r) => r.severity === opts.severity);
    rows.push(...mine);
    per.push({ stream: s.stream, release: s.release, missing: mine.length, complete: !!a && !a.unknown, error: s.release === null ? 'no Fedora release (no build-args.conf VERSION= and no .fcNN in its lockfile)' : (a?.error ?? null) });
  }
  const times = answered.map((a) => a.fetched).filter((t): t is string => !!t).sort();
  return { rows: rows.sort(compareAdvisories), streams: per, fetched: times[0] ?? null, fromCache: answered.some((a) => a.fromCache) };
}

/** The newest of some commits of one first-parent chain from `head`. */
function newestOnChain(repo: ConfigRepo, head: string, commits: readonly string[]): string | null {
  const want = new Set(commits);
  if (want.size <= 1) return commits[0] ?? null;
  for (const c of firstParents(repo.store, head)) if (want.has(c.oid)) return c.oid;
  return null;
}

export interface CarriesReport {
  /** The update asked about (or the newest one naming the CVE / of the package searched). */
  alias: string | null;
  cves: string[];
  sources: string[];
  rows: CarriesRow[];
  /** Releases Bodhi refused, said per stream. */
  warnings: string[];
}

/** What carries looks for: CVE ids in some source packages. */
export interface CarriesTarget {
  alias: string | null;
  cves: string[];
  sources: string[];
}

type CarriesOptions = ServiceOptions & { streams?: readonly string[]; historyCache?: boolean };

/** carries for one Bodhi update (by alias or URL): its CVEs in its builds' sources. */
export async function carries(repo: ConfigRepo, idOrUrl: string, opts: CarriesOptions): Promise<CarriesReport> {
  let update: { alias: string; cves: string[]; builds: string[] };
  try {
    update = (await fetchUpdate(idOrUrl, opts)).value;
  } catch (err) {
    // Offline, the advisories' cached lists may hold the update though it was never asked alone.
    const alias = parseUpdateId(idOrUrl);
    const known = err instanceof AppError && err.code === 'network' ? (await knownUpdates(repo, await readStreams(repo, opts.streams), opts)).find((u) => u.alias === alias) : undefined;
    if (!known) throw err;
    update = { alias, cves: known.cves, builds: known.builds.map((b) => b.nvr) };
  }
  const sources = [...new Set(update.builds.map((b) => parseSourceNvr(b).name))].sort();
  return carriesFor(repo, { alias: update.alias, cves: update.cves, sources }, opts);
}

/** Every security update the advisories' cache holds for the streams' sources (no network). */
async function knownUpdates(repo: ConfigRepo, streams: readonly StreamLocks[], opts: ServiceOptions): Promise<SecurityUpdate[]> {
  const known: SecurityUpdate[] = [];
  for (const [release, sources] of sourcesByRelease(streams)) known.push(...(await securityUpdates(release, [...sources], { ...opts, offline: true })).updates);
  return known;
}

/**
 * The app's search box: an update (ID or URL), a CVE id (every source whose known security
 * update names it) or a source package (the CVEs of its newest known security update), each
 * read from the same answers the advisories use (cached, so it works offline).
 */
export async function searchCarries(repo: ConfigRepo, query: string, opts: CarriesOptions): Promise<CarriesReport> {
  const q = query.trim();
  if (isUpdateAlias(q) || /^https?:\/\//.test(q)) return carries(repo, q, opts);
  const streams = await readStreams(repo, opts.streams);
  const known = await knownUpdates(repo, streams, opts);
  if (/^CVE-\d{4}-\d{4,}$/i.test(q)) {
    const cve = q.toUpperCase();
    const naming = known.filter((u) => u.cves.includes(cve)).sort((a, b) => (b.submitted ?? '').localeCompare(a.submitted ?? ''));
    if (!naming.length) throw new AppError('not-found', `no security update the advisories know names ${cve}; refresh the advisories, or give the update's ID`, { value: q });
    const sources = [...new Set(naming.flatMap((u) => u.builds.map((b) => parseSourceNvr(b.nvr).name)))].sort();
    return carriesFor(repo, { alias: naming[0].alias, cves: [cve], sources }, opts, streams);
  }
  const of = known.filter((u) => u.builds.some((b) => parseSourceNvr(b.nvr).name === q)).sort((a, b) => (b.submitted ?? '').localeCompare(a.submitted ?? ''));
  if (!of.length) throw new AppError('not-found', `no security update the advisories know is for "${q}"; give a CVE id, an update ID, or a source package a stream locks`, { value: q });
  return carriesFor(repo, { alias: of[0].alias, cves: of[0].cves, sources: [q] }, opts, streams);
}

function sourcesByRelease(streams: readonly StreamLocks[]): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const s of streams) if (s.release !== null) for (const src of s.locked.keys()) (out.get(s.release) ?? out.set(s.release, new Set()).get(s.release)!).add(src);
  return new Map([...out].sort(([a], [b]) => a - b));
}

/**
 * For a target (CVEs in sources) and each stream: its release's security update of the same
 * source naming one of those CVEs (the oldest), whether the stream's effective version is at
 * least that build, and since which first-parent commit without a break (history index, or
 * the plain walk with `historyCache: false`).
 */
export async function carriesFor(repo: ConfigRepo, target: CarriesTarget, opts: CarriesOptions, read?: StreamLocks[]): Promise<CarriesReport> {
  const { cves, sources } = target;
  const streams = read ?? (await readStreams(repo, opts.streams));
  const index = new HistoryIndex(repo, { cache: opts.historyCache });
  const byRelease = new Map<number, ReleaseUpdates>();
  const rows: CarriesRow[] = [];
  const warnings: string[] = [];
  const unanswered: (string | null)[] = [];
  for (const s of streams) {
    const empty: CarriesRow = { stream: s.stream, carried: null, version: null, fix: null, since: null, alias: null, release: s.release };
    if (s.release === null || !cves.length) {
      rows.push(empty);
      continue;
    }
    if (!byRelease.has(s.release)) {
      let got = await securityUpdates(s.release, sources, opts);
      if (got.unknown && !got.updates.length) {
        // Not asked for these sources before: the advisories' cached lists of the release may hold them.
        const all = sourcesByRelease(streams).get(s.release) ?? new Set<string>();
        const cached = await securityUpdates(s.release, [...all], { ...opts, offline: true });
        if (!cached.unknown) got = { ...cached, error: got.error };
      }
      byRelease.set(s.release, got);
    }
    const answer = byRelease.get(s.release)!;
    if (answer.unknown && !answer.updates.length) {
      // This release is not answered (refused, or no network and no cache): said, and null.
      const why = answer.error ?? `offline: no cached Bodhi answer for F${s.release}'s security updates of ${sources.join(', ')}`;
      warnings.push(`${s.stream}: ${why}`);
      unanswered.push(answer.refused ? null : why);
      rows.push(empty);
      continue;
    }
    const fix = releaseFix(s.release, sources, cves, answer.updates);
    if (!fix) {
      rows.push(empty);
      continue;
    }
    const locked = s.locked.get(fix.source);
    const carried = isCarried(locked, fix);
    let since: string | null = null;
    if (carried && locked) {
      // Each arch that locks the binary: the fix holds on the stream since the latest of them.
      const perArch: string[] = [];
      const lockfiles = repo.snapshot(s.head).lockfiles;
      for (const arch of Object.keys(lockfiles)) {
        if (!own(lockfiles[arch].packages, locked.binary)) continue;
        const c = carriedSince(await index.packageHistory(s.stream, arch, locked.binary), buildEvr(fix.build));
        if (c) perArch.push(c);
      }
      since = newestOnChain(repo, s.head, [...new Set(perArch)]);
    }
    rows.push({ stream: s.stream, carried, version: locked?.evr ?? null, fix: fix.build.nvr, since, alias: fix.update.alias, release: s.release });
  }
  // Nothing answered at all, and not only because Bodhi refused releases: no answer to give.
  const asked = rows.filter((r) => r.release !== null).length;
  const failure = unanswered.find((u) => u !== null);
  if (cves.length && asked > 0 && unanswered.length === asked && failure) throw new AppError('network', failure.startsWith('offline') ? `${failure}; run once with the network to cache it` : `${failure}; nothing is cached`, { service: 'bodhi' });
  return { alias: target.alias, cves, sources, rows, warnings };
}
