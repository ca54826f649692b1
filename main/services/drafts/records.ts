/**
 * Draft records as files in `<gitdir>/lockstep/drafts/`: where they live, how one is read and
 * checked (an unreadable one is reported, never hidden), and the facts read across records
 * (one draft per request, drafts of one stream touching the same package).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DraftRecord, DraftRequestData, DraftView } from '../../../shared/api/types';
import { parseState } from '../../../shared/drafts/lifecycle';

export const metaDir = (gitdir: string) => path.join(gitdir, 'lockstep', 'drafts');
export const metaFile = (gitdir: string, branch: string) => path.join(metaDir(gitdir), `${encodeURIComponent(branch)}.json`);
/** A record about to be made true by moving its branch; see `saveRecord`. */
export const PENDING = '.pending';

export const toJson = (rec: DraftRecord) => `${JSON.stringify(rec, null, 2)}\n`;

/** A draft record file that cannot be read, and the branch its name gives. */
export interface UnreadableDraft {
  branch: string;
  file: string;
  why: string;
  /** What the branch holds (null: no such branch). */
  head: string | null;
}

export const branchOfFile = (name: string): string => {
  try {
    return decodeURIComponent(name.replace(/\.json$/, ''));
  } catch {
    return name;
  }
};

/** A record, or why it cannot be read: not JSON, or not a record's shape. */
export function readRecordFile(file: string): { rec: DraftRecord } | { why: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return { why: err instanceof SyntaxError ? `not JSON (${err.message})` : `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
  const r = raw as Partial<DraftRecord> | null;
  const oid = (x: unknown) => typeof x === 'string' && /^[0-9a-f]{40}$/.test(x);
  if (!r || typeof r !== 'object') return { why: 'not a draft record' };
  for (const [k, ok] of [['branch', typeof r.branch === 'string'], ['stream', typeof r.stream === 'string'], ['base', oid(r.base)], ['head', oid(r.head)], ['message', typeof r.message === 'string'], ['files', Array.isArray(r.files)], ['packages', !!r.packages && typeof r.packages === 'object']] as const) {
    if (!ok) return { why: `its "${k}" is missing or of the wrong type` };
  }
  return { rec: { ...(r as DraftRecord), srpms: Array.isArray(r.srpms) ? r.srpms : [], state: parseState(r.state) } };
}

/** A request as a canonical string (keys sorted, no undefined): two saves of one request compare equal. */
export function requestKey(req: DraftRequestData): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => [k, canon((v as Record<string, unknown>)[k])])) : v;
  const { base: _b, ...rest } = req;
  return JSON.stringify(canon(rest));
}

/** The packages a draft touches: its entries, and for an unpin the names it removes. */
export function touched(d: Pick<DraftRecord, 'packages' | 'perArch' | 'request'>): Set<string> {
  const names = new Set([...Object.keys(d.packages), ...Object.keys(d.perArch ?? {})]);
  if (d.request?.action === 'unpin') for (const r of d.request.requests) names.add(r.name);
  return names;
}

/** Flags, on both, every two drafts of one stream that touch the same package (`conflicts_with`). */
export function markConflicts(drafts: DraftView[]): void {
  const sets = drafts.map(touched);
  for (let i = 0; i < drafts.length; i++) {
    for (let j = i + 1; j < drafts.length; j++) {
      if (drafts[i].stream !== drafts[j].stream || ![...sets[i]].some((n) => sets[j].has(n))) continue;
      drafts[i].conflictsWith.push(drafts[j].branch);
      drafts[j].conflictsWith.push(drafts[i].branch);
    }
  }
}

