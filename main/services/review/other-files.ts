/**
 * A promotion's other changes: the files other than lockfiles and override files that differ
 * between two refs (denylist, manifests, image config, tests...), each with its line diff.
 * Both trees are walked in the object store (main/git) and only differing blobs are read.
 */
import type { OtherFileChange, OtherFilesResult } from '../../../shared/api/types';
import { isLockPath } from '../../../shared/lockfile/files';
import { unifiedDiff } from '../../../shared/text/line-diff';
import { decodeFileText } from '../../git/objects/file-text';
import type { ConfigRepo } from './config-repo';

/** At most this many files are listed, and a diff longer than this many lines is cut. */
export const OTHER_FILES_LIMIT = 300;
export const DIFF_LINES_LIMIT = 2000;
/** Blobs larger than this are listed without a diff. */
const MAX_BLOB = 1 << 20;

/** One side of a changed file: a blob of the repo, or bytes not written yet (a promotion's new file). */
export type FileSide = { oid: string } | { bytes: Uint8Array } | null;

interface Changed {
  path: string;
  from: FileSide;
  to: FileSide;
}

/** Same subtree ids are skipped without reading them: a promotion touches few folders. */
function changedPaths(repo: ConfigRepo, a: string | null, b: string | null, prefix: string, out: Changed[]): void {
  if (a === b) return;
  const left = new Map((a ? repo.store.readTree(a) : []).map((e) => [e.name, e]));
  const right = new Map((b ? repo.store.readTree(b) : []).map((e) => [e.name, e]));
  for (const name of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    const l = left.get(name);
    const r = right.get(name);
    if (l?.oid === r?.oid && l?.type === r?.type) continue;
    const path = prefix + name;
    const lTree = l?.type === 'tree' ? l.oid : null;
    const rTree = r?.type === 'tree' ? r.oid : null;
    if (lTree || rTree) changedPaths(repo, lTree, rTree, `${path}/`, out);
    const lBlob = l?.type === 'blob' ? l.oid : null;
    const rBlob = r?.type === 'blob' ? r.oid : null;
    if ((lBlob || rBlob) && !(prefix === '' && isLockPath(name))) out.push({ path, from: lBlob ? { oid: lBlob } : null, to: rBlob ? { oid: rBlob } : null });
  }
}

function sideText(repo: ConfigRepo, side: FileSide): { text: string; binary: boolean } {
  if (!side) return { text: '', binary: false };
  const data = 'oid' in side ? repo.store.read(side.oid).data : side.bytes;
  if (data.length > MAX_BLOB || data.subarray(0, 8000).includes(0)) return { text: '', binary: true };
  return { text: 'oid' in side ? repo.readText(side.oid) : decodeFileText(Buffer.from(side.bytes)), binary: false };
}

function fileChange(repo: ConfigRepo, c: Changed): OtherFileChange {
  const status = c.from === null ? 'added' : c.to === null ? 'removed' : 'modified';
  const a = sideText(repo, c.from);
  const b = sideText(repo, c.to);
  if (a.binary || b.binary) return { path: c.path, status, binary: true, diff: '', added: 0, removed: 0, truncated: false };
  const lines = unifiedDiff(c.path, c.from ? a.text : null, c.to ? b.text : null).split('\n');
  const body = lines.slice(2);
  const added = body.filter((l) => l.startsWith('+')).length;
  const removed = body.filter((l) => l.startsWith('-')).length;
  const truncated = lines.length > DIFF_LINES_LIMIT;
  return { path: c.path, status, binary: false, diff: (truncated ? lines.slice(0, DIFF_LINES_LIMIT) : lines).join('\n'), added, removed, truncated };
}

/**
 * The non-lock files that differ between two trees, sorted by path. `replace` changes root
 * files of the `to` side (a promotion's per-stream files, not written yet): null removes one.
 */
export function otherFilesBetween(repo: ConfigRepo, fromTree: string, toTree: string, replace: ReadonlyMap<string, FileSide> = new Map()): Omit<OtherFilesResult, 'from' | 'to'> {
  const changed: Changed[] = [];
  changedPaths(repo, fromTree, toTree, '', changed);
  if (replace.size) {
    const root = new Map(repo.store.readTree(fromTree).map((e) => [e.name, e]));
    for (const [path, to] of replace) {
      const i = changed.findIndex((c) => c.path === path);
      if (i >= 0) changed.splice(i, 1);
      const f = root.get(path);
      const from: FileSide = f?.type === 'blob' ? { oid: f.oid } : null;
      const same = from === null ? to === null : !!to && 'oid' in to && to.oid === from.oid;
      if (!same) changed.push({ path, from, to });
    }
  }
  changed.sort((x, y) => (x.path < y.path ? -1 : 1));
  return { files: changed.slice(0, OTHER_FILES_LIMIT).map((c) => fileChange(repo, c)), more: Math.max(0, changed.length - OTHER_FILES_LIMIT) };
}

/** The non-lock files that differ between two refs, sorted by path, each with a unified diff. */
export async function otherFilesDiff(repo: ConfigRepo, fromInput: string, toInput: string): Promise<OtherFilesResult> {
  const from = await repo.resolve(fromInput);
  const to = await repo.resolve(toInput);
  return { from: from.oid, to: to.oid, ...otherFilesBetween(repo, repo.commit(from.oid).tree, repo.commit(to.oid).tree) };
}
