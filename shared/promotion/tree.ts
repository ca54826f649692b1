/**
 * A promotion's tree from the source commit's and the target head's root entries: the source's
 * tree as it is (subtrees and gitlinks by id, so submodules come along as the script's
 * `git submodule update --init` + `git add -A` carry them), with the three per-stream files of
 * `rules.ts` put back or rewritten. Pure: the caller reads blobs (one byte per character).
 */
import { AppError } from '../errors';
import { BUILD_ARGS_FILE, DENYLIST_FILE, disableSnoozes, keepStreamLines, MANIFEST_FILE, type KeptLine } from './rules';

export interface RootEntry {
  name: string;
  mode: string;
  oid: string;
  type: 'blob' | 'tree' | 'commit';
  /** The name's bytes when they are not UTF-8: carried through so the promotion keeps them. */
  raw?: Uint8Array;
}

/** A root entry of the promoted tree: as read from a commit, or new text to write as a blob. */
export type PromotedEntry = RootEntry | { name: string; mode: string; type: 'blob'; text: string };

/** One per-stream rule as it applied, for the promotion view and the CLI. */
export type KeptRule =
  | { file: typeof MANIFEST_FILE; kind: 'manifest'; status: 'kept' | 'same' | 'absent' }
  | { file: typeof BUILD_ARGS_FILE; kind: 'build-args'; status: 'kept' | 'same' | 'no-target-file' | 'no-source-file' | 'absent'; lines: KeptLine[] }
  | { file: typeof DENYLIST_FILE; kind: 'denylist'; status: 'disabled' | 'same' | 'absent'; lines: number[] };

export interface PromotedTree {
  entries: PromotedEntry[];
  rules: KeptRule[];
}

export interface TreeSide {
  stream: string;
  commit: string;
  entries: readonly RootEntry[];
}

const isFile = (e: RootEntry | undefined): e is RootEntry => !!e && e.type === 'blob' && e.mode !== '120000';
const sameEntry = (a: PromotedEntry | undefined, b: RootEntry | undefined) => !!a && !!b && 'oid' in a && a.oid === b.oid && normMode(a.mode) === normMode(b.mode);
const normMode = (m: string) => (m === '40000' ? '040000' : m);

/**
 * The promoted root: every entry of the source's, except `manifest.yaml` (the target's entry,
 * byte for byte and mode), `build-args.conf` (the source's with the target's STREAM= and
 * DESCRIPTION= lines, when both have the file) and `kola-denylist.yaml` (the source's with its
 * snoozes and warns commented out). Anything the target alone has is gone, as after the
 * script's `git reset --hard <source>` and `git add -A`.
 */
export function promoteTree(source: TreeSide, target: TreeSide, read: (oid: string) => string): PromotedTree {
  const src = new Map(source.entries.map((e) => [e.name, e]));
  const tgt = new Map(target.entries.map((e) => [e.name, e]));
  const out = new Map<string, PromotedEntry>(src);
  const rules: KeptRule[] = [];

  const tManifest = tgt.get(MANIFEST_FILE);
  const sManifest = src.get(MANIFEST_FILE);
  if (tManifest) {
    out.set(MANIFEST_FILE, tManifest);
    rules.push({ file: MANIFEST_FILE, kind: 'manifest', status: sameEntry(sManifest, tManifest) ? 'same' : 'kept' });
  } else if (sManifest) {
    // The script's `git checkout -- manifest.yaml` stops here: what would the target build from?
    throw new AppError('bad-input', `${target.stream} (at ${target.commit.slice(0, 12)}) has no ${MANIFEST_FILE} to keep while ${source.stream} has one; release engineering's script stops there too: add the target's ${MANIFEST_FILE} first`, { file: MANIFEST_FILE, ref: target.stream, commit: target.commit });
  } else {
    rules.push({ file: MANIFEST_FILE, kind: 'manifest', status: 'absent' });
  }

  const sArgs = src.get(BUILD_ARGS_FILE);
  const tArgs = tgt.get(BUILD_ARGS_FILE);
  if (isFile(sArgs) && isFile(tArgs)) {
    const r = keepStreamLines(read(sArgs.oid), read(tArgs.oid), { stream: target.stream, commit: target.commit });
    const changed = r.kept.some((k) => k.source !== k.target);
    if (changed) out.set(BUILD_ARGS_FILE, { name: BUILD_ARGS_FILE, mode: sArgs.mode, type: 'blob', text: r.text });
    rules.push({ file: BUILD_ARGS_FILE, kind: 'build-args', status: changed ? 'kept' : 'same', lines: r.kept });
  } else {
    // A 2024 repo has no build-args.conf; a target without one takes the source's as it is.
    const status = !sArgs && !tArgs ? 'absent' : !tArgs ? 'no-target-file' : 'no-source-file';
    rules.push({ file: BUILD_ARGS_FILE, kind: 'build-args', status, lines: [] });
  }

  const sDeny = src.get(DENYLIST_FILE);
  if (isFile(sDeny)) {
    const r = disableSnoozes(read(sDeny.oid));
    if (r.lines.length) out.set(DENYLIST_FILE, { name: DENYLIST_FILE, mode: sDeny.mode, type: 'blob', text: r.text });
    rules.push({ file: DENYLIST_FILE, kind: 'denylist', status: r.lines.length ? 'disabled' : 'same', lines: r.lines });
  } else {
    rules.push({ file: DENYLIST_FILE, kind: 'denylist', status: 'absent', lines: [] });
  }

  const entries = [...out.values()];
  return { entries, rules };
}

/**
 * True when the promoted root equals the target's (`git diff --staged --quiet`): the caller
 * gives each new text's blob id, since a rewritten file may well be the target's own bytes.
 */
export function sameRoot(entries: readonly PromotedEntry[], target: readonly RootEntry[], oidOf: (e: PromotedEntry) => string): boolean {
  if (entries.length !== target.length) return false;
  const t = new Map(target.map((e) => [e.name, e]));
  return entries.every((e) => {
    const other = t.get(e.name);
    return !!other && normMode(e.mode) === normMode(other.mode) && oidOf(e) === other.oid;
  });
}
