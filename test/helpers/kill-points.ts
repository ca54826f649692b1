/**
 * Which points of a fault-fs trace (test/helpers/fault-fs.cjs) a kill test kills at. A trace
 * line is `N before|after OP PATH[ -> TO]`; a point is the process stopped right there.
 */

export interface TracePoint {
  n: number;
  phase: 'before' | 'after';
  op: string;
  path: string;
  to?: string;
}

/** The trace's lines, parsed. */
export function parseTrace(trace: string): TracePoint[] {
  return trace
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const m = /^(\d+) (before|after) (\S+) (\S+)(?: -> (\S+))?$/.exec(l);
      if (!m) throw new Error(`not a fault-fs trace line: ${l}`);
      return { n: Number(m[1]), phase: m[2] as 'before' | 'after', op: m[3], path: m[4], to: m[5] };
    });
}

/**
 * The points worth a kill: the first, and the one after each write. The disk is the same at
 * "after one write" and "before the next" (the kill tests prove no write goes unseen between
 * them), so killing at both would test one state twice.
 */
export function killPoints(trace: string): number[] {
  return parseTrace(trace)
    .filter((p) => p.n === 1 || p.phase === 'after')
    .map((p) => p.n);
}

const TEMP = /\.tmp-\d+-\d+$/;
/** Writes of a file's bytes (not its name): what a temp file or an append-only file receives. */
const CONTENT = /^(handle\.)?(write|writeFile|appendFile|writev|truncate|ftruncate)(Sync)?$/;

/**
 * What a path is to the reader, so that two files of one kind are one class: a temp file by
 * the file it becomes, a ref by its folder, the history index's data files (all appended before
 * the header that seals them is renamed in) as one, and hashes folded.
 */
export function fileClass(p: string): string {
  if (TEMP.test(p)) return `temp of ${fileClass(p.replace(/\/\.([^/]+)\.tmp-\d+-\d+$/, '/$1'))}`;
  if (/^\/refs\/.+\/[^/]+$/.test(p)) return `ref in ${p.replace(/\/[^/]+$/, '')}`;
  if (/^\/lockstep\/history\d*\/(commits\.(jsonl|pos|oid)|[0-9a-f]+\.(chain|[^/.]+\.rows))$/.test(p)) return 'history index data';
  return p.replace(/[0-9a-f]{7,}/g, '<hash>');
}

/**
 * The kill points of a long trace cut by meaning (for fetch: a pack's chunks, the history
 * index's appends). A point stands for a disk state; points are dropped only when a kept one
 * leaves a state no reader can tell from theirs:
 * - a content write to a temp file (`.<name>.tmp-<pid>-<n>`): the temp exists from its open
 *   on, and nothing reads it until its rename (the clean-up at the next start goes by its
 *   name, not its bytes), so a kill after any of its writes is the kill after its open;
 * - a run of content writes to one file: bytes appended past what a sealed header names are
 *   cut by the reader (the history index checks sizes and checksums against its header,
 *   renamed in last), so a kill inside the run is the kill after its first or its last write;
 * - a repeat of a transition already kept: the step from one (operation, file class) to the
 *   next (three remote refs written one after another are one case, each ref old or new).
 * The first point (before any write) and the last write are always kept.
 */
export function meaningfulKillPoints(trace: string): number[] {
  const writes = parseTrace(trace).filter((p) => p.phase === 'after');
  const first = parseTrace(trace)[0];
  const sig = (w: TracePoint | undefined) => (w ? `${w.op} ${fileClass(w.path)}${w.to ? ` -> ${fileClass(w.to)}` : ''}` : 'end');
  const kept = new Set<number>(first ? [first.n] : []);
  const seen = new Set<string>();
  const isContent = (w: TracePoint) => CONTENT.test(w.op);
  const candidates = writes.filter((w, i) => {
    if (isContent(w) && TEMP.test(w.path)) return false;
    const prev = writes[i - 1];
    const next = writes[i + 1];
    // The middle of a run of content writes to one file.
    if (isContent(w) && prev && next && isContent(prev) && isContent(next) && prev.path === w.path && next.path === w.path) return false;
    return true;
  });
  candidates.forEach((w, i) => {
    const transition = `${sig(w)} | ${sig(candidates[i + 1])}`;
    if (!seen.has(transition) || i === candidates.length - 1) kept.add(w.n);
    seen.add(transition);
  });
  return [...kept].sort((a, b) => a - b);
}
