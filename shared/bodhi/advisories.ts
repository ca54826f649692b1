/**
 * Advisories (SPEC §2.16): Bodhi's security updates read from its list API, and the rules that
 * say which a stream is missing and whether a stream carries the fix of one update. Pure: the
 * services fetch and cache, this decides.
 *
 * Bodhi's list answer (`GET /updates/?...`, bodhi-server/bodhi/server/services/updates.py
 * query_updates) is `{updates: [...], page, pages, rows_per_page, total}`; each update carries
 * `alias`, `url`, `type`, `severity`, `status`, `date_submitted`, `release {name, version,
 * dist_tag}`, `builds [{nvr, epoch}]` and `bugs [{bug_id, title}]` (models.py Update/Build/Bug).
 */
import { AppError } from '../errors';
import { compareEvr, formatEvr, type Evr } from '../rpm/nevra';
import { effectiveLock } from '../lockfile/effective';
import type { Snapshot } from '../lockfile/types';
import { parseSourceNvr } from './update-id';

/** Bodhi's severities, most urgent first (models.py UpdateSeverity). */
export const SEVERITIES = ['urgent', 'high', 'medium', 'low', 'unspecified'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Update statuses the advisories read: what users get or will get. */
export const LISTED_STATUSES = ['testing', 'stable'] as const;

/** One build of an update, with the epoch Bodhi records for it (source NVRs carry none). */
export interface UpdateBuild {
  nvr: string;
  epoch: number;
}

/** One security update as the advisories use it. */
export interface SecurityUpdate {
  alias: string;
  url: string;
  severity: Severity;
  status: string;
  /** The release's version (`41`). */
  release: string;
  /** When it was submitted (ISO, as Bodhi gives it), for ordering and age. */
  submitted: string | null;
  builds: UpdateBuild[];
  /** CVE ids named in the titles of its bugs, sorted. */
  cves: string[];
}

/** One page of the list API, validated: the updates kept, and their JSON as Bodhi sent it (what is cached). */
export interface UpdatePage {
  updates: SecurityUpdate[];
  raw: unknown[];
  page: number;
  pages: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const ALIAS = /^[A-Z][A-Z0-9]*-\d{4}-[0-9a-f]{6,}$/i;
const CVE = /CVE-\d{4}-\d{4,}/gi;

/** The CVE ids in some bug titles, unique and sorted. */
export function cvesIn(titles: readonly string[]): string[] {
  const out = new Set<string>();
  for (const t of titles) for (const m of t.matchAll(CVE)) out.add(m[0].toUpperCase());
  return [...out].sort();
}

const bad = (where: string, why: string) => new AppError('network', `Bodhi's answer ${where} is not what its list API gives (${why}); is the Bodhi URL right?`, { service: 'bodhi' });

/** One update of a list or single answer, checked field by field (anything else is refused). */
export function readSecurityUpdate(u: unknown, where: string): SecurityUpdate {
  if (!isObj(u)) throw bad(where, 'an update that is not an object');
  const alias = u.alias;
  if (typeof alias !== 'string' || !ALIAS.test(alias)) throw bad(where, 'an update without a valid alias');
  const at = `${where}, update ${alias}`;
  if (!Array.isArray(u.builds)) throw bad(at, 'no builds list');
  const builds = u.builds.map((b): UpdateBuild => {
    if (!isObj(b) || typeof b.nvr !== 'string') throw bad(at, 'a build without nvr');
    parseSourceNvr(b.nvr);
    const epoch = b.epoch ?? 0;
    if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0) throw bad(at, `build ${b.nvr} has epoch ${JSON.stringify(b.epoch)}, not an integer ≥ 0`);
    return { nvr: b.nvr, epoch };
  });
  const bugs = u.bugs === undefined || u.bugs === null ? [] : u.bugs;
  if (!Array.isArray(bugs)) throw bad(at, 'bugs is not a list');
  const titles = bugs.map((b) => (isObj(b) && typeof b.title === 'string' ? b.title : ''));
  const release = isObj(u.release) ? u.release : null;
  const version = release && typeof release.version === 'string' ? release.version : release && typeof release.name === 'string' ? release.name.replace(/^F/i, '') : null;
  if (!version || !/^\d+$/.test(version)) throw bad(at, 'no release version');
  const severity = typeof u.severity === 'string' && (SEVERITIES as readonly string[]).includes(u.severity) ? (u.severity as Severity) : 'unspecified';
  if (typeof u.status !== 'string') throw bad(at, 'no status');
  return {
    alias,
    url: typeof u.url === 'string' && /^https?:\/\//.test(u.url) ? u.url : '',
    severity,
    status: u.status,
    release: version,
    submitted: typeof u.date_submitted === 'string' ? u.date_submitted : null,
    builds,
    cves: cvesIn(titles),
  };
}

/**
 * The security updates of `release` with a listed status among some updates as Bodhi sends them
 * (a list page, or the cache of one). Bodhi filters by itself; anything else it sends is left
 * out, so a server that ignores a parameter cannot make a bugfix update look like a security fix.
 */
export function acceptedUpdates(list: readonly unknown[], release: number, where: string): { updates: SecurityUpdate[]; raw: unknown[] } {
  const updates: SecurityUpdate[] = [];
  const raw: unknown[] = [];
  for (const item of list) {
    const u = readSecurityUpdate(item, where);
    const type = isObj(item) ? item.type : undefined;
    if (type !== 'security' || !(LISTED_STATUSES as readonly string[]).includes(u.status) || u.release !== String(release)) continue;
    updates.push(u);
    raw.push(item);
  }
  return { updates, raw };
}

/** One page of `GET /updates/?...`, checked: the page asked for, a sane page count, every update well formed. */
export function readUpdatePage(body: unknown, ctx: { release: number; page: number; where: string }): UpdatePage {
  if (!isObj(body) || !Array.isArray(body.updates)) throw bad(ctx.where, 'no updates list');
  const page = body.page;
  const pages = body.pages;
  if (typeof page !== 'number' || !Number.isSafeInteger(page) || page !== ctx.page) throw bad(ctx.where, `page ${JSON.stringify(page)} where page ${ctx.page} was asked`);
  if (typeof pages !== 'number' || !Number.isSafeInteger(pages) || pages < 0 || pages > 10_000) throw bad(ctx.where, `pages ${JSON.stringify(pages)}`);
  return { ...acceptedUpdates(body.updates, ctx.release, ctx.where), page, pages };
}

/** Per stream: how many updates it misses, its release, and why it could not be answered. */
export interface StreamAdvisories {
  stream: string;
  release: number | null;
  missing: number;
  /** Whether Bodhi (or the cache) answered for every source the stream locks. */
  complete: boolean;
  error: string | null;
}

/** The advisories of every stream (CLI and the app's Advisories screen). */
export interface AdvisoriesReport {
  rows: AdvisoryRow[];
  streams: StreamAdvisories[];
  /** The oldest answer used (ISO), null when nothing answered. */
  fetched: string | null;
  fromCache: boolean;
}

/** A source package as a stream locks it: the version its fixes are compared with. */
export interface LockedSource {
  source: string;
  evr: string;
  /** The binary whose version stands for the source, and the arch where it is lowest. */
  binary: string;
  arch: string;
}

/**
 * Every source a stream locks with its effective version: the version of its binary of the
 * same name (podman), else of its binaries when they all agree (rust-afterburn -> afterburn);
 * a source whose binaries disagree and none bears its name (lvm2 seen only as device-mapper)
 * is left out rather than compared with another package's version. Across arches the lowest
 * counts: the fix is missing while any arch lacks it.
 */
export function lockedSources(snap: Snapshot): Map<string, LockedSource> {
  const out = new Map<string, LockedSource>();
  for (const arch of Object.keys(snap.lockfiles)) {
    const bySource = new Map<string, { name: string; evr: string }[]>();
    for (const [name, e] of Object.entries(effectiveLock(snap, arch).packages)) {
      const src = e.sourcerpm ?? name;
      (bySource.get(src) ?? bySource.set(src, []).get(src)!).push({ name, evr: e.evr });
    }
    for (const [source, bins] of bySource) {
      const named = bins.find((b) => b.name === source);
      const pick = named ?? (bins.every((b) => compareEvr(b.evr, bins[0].evr) === 0) ? bins[0] : null);
      if (!pick) continue;
      const had = out.get(source);
      if (!had || compareEvr(pick.evr, had.evr) < 0) out.set(source, { source, evr: pick.evr, binary: pick.name, arch });
    }
  }
  return out;
}

/** A build's EVR: Bodhi's epoch with the NVR's version and release. */
export function buildEvr(b: UpdateBuild): Evr {
  const { version, release } = parseSourceNvr(b.nvr);
  return { epoch: String(b.epoch), version, release };
}

/** One security update a stream is missing (CLI `advisories --json` row). */
export interface AdvisoryRow {
  stream: string;
  alias: string;
  url: string;
  severity: Severity;
  status: string;
  source: string;
  /** The stream's effective version of the source. */
  locked: string;
  /** The update's build of the source (NVR). */
  build: string;
  cves: string[];
  release: number;
  submitted: string | null;
}

const severityRank = (s: string) => {
  const i = (SEVERITIES as readonly string[]).indexOf(s);
  return i < 0 ? SEVERITIES.length : i;
};

/** Rows in reading order: severity, then stream, then the update, then the source. */
export function compareAdvisories(a: AdvisoryRow, b: AdvisoryRow): number {
  return severityRank(a.severity) - severityRank(b.severity) || (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0) || a.alias.localeCompare(b.alias) || a.source.localeCompare(b.source);
}

/**
 * The updates of the stream's own release whose build of a source it locks is newer than its
 * effective version. An update of another release is never compared (its dist tag differs).
 */
export function missingAdvisories(stream: string, release: number, locked: ReadonlyMap<string, LockedSource>, updates: readonly SecurityUpdate[]): AdvisoryRow[] {
  const out: AdvisoryRow[] = [];
  for (const u of updates) {
    if (u.release !== String(release)) continue;
    for (const b of u.builds) {
      const source = parseSourceNvr(b.nvr).name;
      const l = locked.get(source);
      if (!l || compareEvr(l.evr, buildEvr(b)) >= 0) continue;
      out.push({ stream, alias: u.alias, url: u.url, severity: u.severity, status: u.status, source, locked: l.evr, build: b.nvr, cves: u.cves, release, submitted: u.submitted });
    }
  }
  return out.sort(compareAdvisories);
}

/** The fix a stream's release has for an update: its security update of the same source naming one of its CVEs. */
export interface ReleaseFix {
  update: SecurityUpdate;
  build: UpdateBuild;
  source: string;
}

/**
 * The oldest update of the release (submitted first; then the lowest build) with a build of one
 * of `sources` that names one of `cves`; null when the release has none.
 */
export function releaseFix(release: number, sources: readonly string[], cves: readonly string[], updates: readonly SecurityUpdate[]): ReleaseFix | null {
  const wanted = new Set(cves);
  const hits: ReleaseFix[] = [];
  for (const u of updates) {
    if (u.release !== String(release) || !u.cves.some((c) => wanted.has(c))) continue;
    for (const b of u.builds) {
      const source = parseSourceNvr(b.nvr).name;
      if (sources.includes(source)) hits.push({ update: u, build: b, source });
    }
  }
  hits.sort((a, b) => (a.update.submitted ?? '').localeCompare(b.update.submitted ?? '') || compareEvr(buildEvr(a.build), buildEvr(b.build)));
  return hits[0] ?? null;
}

/** The CLI's carries row. */
export interface CarriesRow {
  stream: string;
  /** null: the release has no such update (or the stream does not lock the source). */
  carried: boolean | null;
  /** The stream's effective version of the source, null when it does not lock it. */
  version: string | null;
  fix: string | null;
  since: string | null;
  alias: string | null;
  release: number | null;
}

/** Whether a stream's effective version is at least the fix's build. */
export function isCarried(locked: LockedSource | undefined, fix: ReleaseFix): boolean | null {
  if (!locked) return null;
  return compareEvr(locked.evr, buildEvr(fix.build)) >= 0;
}

/**
 * The oldest commit of the newest unbroken run of history entries (newest first) at `min` or
 * newer: since when the version has been at least the fix without a break.
 */
export function carriedSince(entries: readonly { commit: string; evr: string | null }[], min: Evr): string | null {
  let since: string | null = null;
  for (const e of entries) {
    if (e.evr === null || compareEvr(e.evr, min) < 0) break;
    since = e.commit;
  }
  return since;
}

export const formatBuildEvr = (b: UpdateBuild): string => formatEvr(buildEvr(b));

/** `VERSION=` of a stream's build-args.conf (the Fedora release since 2026), or null. */
export function buildArgsRelease(text: string): number | null {
  const m = /^[ \t]*VERSION[ \t]*=[ \t]*["']?(\d+)["']?[ \t]*(?:#.*)?$/m.exec(text);
  return m ? Number(m[1]) : null;
}
