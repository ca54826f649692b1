/** The Advisories screen's pure parts: rows grouped by CVE, the fast-track plan of a group, ages. */
import type { AdvisoryRow } from '../../../shared/bodhi/advisories';
import { SEVERITIES } from '../../../shared/bodhi/advisories';
import { compareEvr } from '../../../shared/rpm/nevra';
import type { DeepReadonly } from '../../../shared/readonly';

type Row = DeepReadonly<AdvisoryRow>;

/** Rows by CVE id (a row naming two CVEs is under both; one naming none is under its update). */
export interface CveGroup {
  key: string;
  severity: string;
  rows: Row[];
}

const rank = (s: string) => (SEVERITIES as readonly string[]).indexOf(s);

export function groupByCve(rows: readonly Row[]): CveGroup[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) for (const k of r.cves.length ? r.cves : [r.alias]) (groups.get(k) ?? groups.set(k, []).get(k)!).push(r);
  return [...groups]
    .map(([key, list]) => ({ key, rows: list, severity: list.map((r) => r.severity).sort((a, b) => rank(a) - rank(b))[0] }))
    .sort((a, b) => rank(a.severity) - rank(b.severity) || a.key.localeCompare(b.key));
}

/** Per stream of a group, the update to fast-track: the one with the newest build (it carries the older fixes too). */
export function fastTrackPlan(rows: readonly Row[]): { stream: string; alias: string }[] {
  const best = new Map<string, Row>();
  for (const r of rows) {
    const had = best.get(r.stream);
    const evr = (x: Row) => x.build.slice(x.source.length + 1);
    if (!had || compareEvr(evr(r), evr(had)) > 0) best.set(r.stream, r);
  }
  return [...best.values()].map((r) => ({ stream: r.stream, alias: r.alias }));
}

export function age(iso: string | null, now = Date.now()): string {
  if (!iso) return '-';
  const t = Date.parse(iso.includes('T') ? iso : `${iso.replace(' ', 'T')}Z`);
  if (Number.isNaN(t)) return '-';
  const d = Math.floor((now - t) / 86_400_000);
  return d < 1 ? 'today' : d === 1 ? '1 day' : `${d} days`;
}

