/**
 * Writing the history index, one writer at a time (a lock folder): a stream's index built,
 * extended by appending the new commits, or copied from another stream up to where their
 * chains meet; and what a query found damaged checked in full and rebuilt.
 */
import { copyRecord, nameRecord, own as ownKey } from '../../../shared/records';
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from './checksum';
import { AppError } from '../../../shared/errors';
import { writeFileAtomic } from '../../git/atomic-fs';
import { nameLockOwner, takeOverDeadLock } from '../../git/owned-lock';
import { firstParentChain } from '../../git/first-parent';
import type { Commit } from '../../git/objects/parse';
import type { ConfigRepo } from '../review/config-repo';
import { CommitTable } from './commit-table';
import { appendSync, chainRows, checkStream, dropStream, FORMAT_VERSION, IndexDamage, rowsOfSegment, segmentOf, streamKey, type ChangeRow, type Mark, type StreamHeader } from './format';
import { readRange } from '../../git/file-range';
import { encodeStreamHeader, readWholeHeader } from './stream-header';
import { segmentsInWorker } from './split';
import { archKey, commitFiles, commitRow, entryState, firstUnreadable, joinSegments, locksOf, newBuilding, overridesOf, primeAt, walkCommits, type Building, type SegmentRunner } from './walk';

/** New commits looked through for the indexed head before the full search (a rewritten stream, or a long absence). */
const EXTEND_SEARCH_LIMIT = 20_000;
/** The older half's share of a split walk's commits (`walkNew`). */
const OLDER_SHARE = 0.4;

export interface BuildOptions {
  onProgress?: (p: { phase: string; loaded: number; total: number }) => void;
  /** See `HistoryOptions.segments`. */
  segments?: SegmentRunner | false;
}

/** One writer at a time across processes (the app's worker, a CLI): a lock folder. */
export async function lockIndex(dir: string): Promise<() => void> {
  fs.mkdirSync(dir, { recursive: true });
  const lockDir = path.join(dir, '.lock');
  for (let waited = 0; ; waited += 100) {
    try {
      fs.mkdirSync(lockDir);
      try {
        nameLockOwner(lockDir);
      } catch {
        // Unnamed, the lock is only taken over once stale: slower after a kill, never wrong.
      }
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // A killed builder's lock at once; an unnamed one once a minute old, as builds take seconds.
    takeOverDeadLock(lockDir, { unnamedStaleMs: 60_000 });
    if (waited > 120_000) throw new AppError('io', `the history index in ${dir} stays locked by another Lockstep; try again when it is done`, { file: lockDir });
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Under the lock: what a query found damaged, checked in full (every line of the commit log,
 * or every package's rows of the stream) and dropped when it does not check out, so that the
 * next build writes it again. A query that raced a writer finds nothing to drop.
 */
export function repairIndex(dir: string, damage: IndexDamage): void {
  const table = new CommitTable(dir, damage.scope === 'table');
  if (damage.scope !== 'stream') return;
  const key = path.basename(damage.file).split('.')[0];
  const h = readWholeHeader(path.join(dir, `${key}.json`));
  try {
    if (!h || streamKey(h.ref) !== key) throw damage;
    checkStream(dir, key, h, table.rows, { cut: true, full: true });
  } catch (err) {
    if (!(err instanceof IndexDamage)) throw err;
    dropStream(dir, key);
  }
}

/** A stream indexed by another ref, checked (its chain read), to copy rows from. */
interface Other {
  h: StreamHeader;
  chain: Uint32Array;
}

/** Under the lock: builds or extends `ref`'s index up to `head`; returns the commits walked. */
export async function buildStream(repo: ConfigRepo, dir: string, ref: string, head: string, opts: BuildOptions): Promise<number> {
  const key = streamKey(ref);
  const file = (name: string) => path.join(dir, name);
  const table = new CommitTable(dir);
  let old = readWholeHeader(file(`${key}.json`));
  if (old && (old.version !== FORMAT_VERSION || old.ref !== ref)) old = null;
  try {
    // Anything a crash left past what the header records is cut here.
    if (old) checkStream(dir, key, old, table.rows, { cut: true, full: false });
  } catch (err) {
    if (!(err instanceof IndexDamage)) throw err;
    old = null;
  }
  // Extend when the indexed head is on the new head's first-parent chain.
  let base: StreamHeader | null = null;
  let baseChain: Uint32Array | null = null;
  let stopOids = new Map<string, { other: Other | null; pos: number }>();
  // After a fetch the indexed head is usually a few commits down the new head's chain: look
  // for it alone first. Mapping every other stream's chain costs what the whole history
  // costs, and would make each small update grow with the repo's age.
  let walk: ReturnType<typeof firstParentChain> | null = null;
  if (old) {
    let seen = 0;
    const oldHead = old.head;
    const near = firstParentChain(repo.store, head, (oid) => oid === oldHead || ++seen > EXTEND_SEARCH_LIMIT);
    if (near.stoppedAt === old.head) walk = near;
    stopOids.set(old.head, { other: null, pos: old.chainLength - 1 });
  }
  if (!walk) {
    // Other streams' chains: a walk that reaches one of their commits copies their rows.
    for (const other of otherStreams(dir, ref, table)) {
      for (let pos = 0; pos < other.chain.length; pos++) {
        const oid = table.oidOf(other.chain[pos]);
        if (oid && !stopOids.has(oid)) stopOids.set(oid, { other, pos });
      }
    }
    walk = firstParentChain(repo.store, head, (oid) => stopOids.has(oid));
  }
  const stop = walk.stoppedAt ? stopOids.get(walk.stoppedAt)! : null;
  stopOids = new Map();

  const b = newBuilding();
  let header: StreamHeader;
  if (stop && !stop.other && old && stop.pos === old.chainLength - 1) {
    // Appending to our own index: only the new commits are read.
    base = old;
    header = { ...old, arches: { ...old.arches }, sources: { ...old.sources } };
    for (const [arch, a] of Object.entries(old.arches)) b.prev.set(arch, { key: a.finalKey, lock: locksOf(a.final), eff: overridesOf(a.final) });
    b.sources = header.sources;
    b.unreadable = [...old.unreadable];
  } else {
    header = { version: FORMAT_VERSION, ref, head, chainLength: 0, chainSum: 0, commitRows: 0, arches: nameRecord(), sources: nameRecord(), unreadable: [] };
    dropStream(dir, key);
    if (stop?.other) {
      // Another stream indexed this commit and all below it: its rows up to there are ours.
      baseChain = stop.other.chain.subarray(0, stop.pos + 1);
      try {
        copyPrefix(repo, dir, table, stop.other, stop.pos, b);
      } catch (err) {
        if (!(err instanceof IndexDamage)) throw err;
        // Its rows do not check out: that stream is rebuilt when asked, this one from scratch.
        dropStream(dir, streamKey(stop.other.h.ref));
        return buildStream(repo, dir, ref, head, opts);
      }
      header.sources = b.sources;
    }
  }

  const onChain = new Set(walk.commits.map((c) => c.oid));
  const startPos = base ? base.chainLength : baseChain ? baseChain.length : 0;
  await walkNew(repo, walk.commits, startPos, walk.stoppedAt, b, opts);

  // Appends first: commit rows, chain, package rows; then the header, then the head.
  const rows = table.append(walk.commits.map((c) => commitRow(repo, c, onChain)));
  const chainBuf = Buffer.alloc((baseChain ? baseChain.length : 0) * 4 + rows.length * 4);
  let at = 0;
  if (baseChain) for (const r of baseChain) at = chainBuf.writeUInt32BE(r, at);
  for (const r of rows) at = chainBuf.writeUInt32BE(r, at);
  appendSync(file(`${key}.chain`), chainBuf);
  for (const [arch, byName] of b.rows) {
    const a = (header.arches[arch] = header.arches[arch] ? { ...header.arches[arch], dir: copyRecord(header.arches[arch].dir) } : { dir: nameRecord(), rowsLength: 0, finalKey: '', final: nameRecord() });
    const parts: Buffer[] = [];
    let offset = a.rowsLength;
    for (const [name, list] of byName) {
      const seg = segmentOf(name, list);
      a.dir[name] = [...(ownKey(a.dir, name) ?? []), [offset, seg.length - 1]];
      offset += seg.length;
      parts.push(seg);
    }
    appendSync(file(`${key}.${arch}.rows`), Buffer.concat(parts));
    a.rowsLength = offset;
  }
  for (const [arch, p] of b.prev) {
    const a = (header.arches[arch] ??= { dir: nameRecord(), rowsLength: 0, finalKey: '', final: nameRecord() });
    a.finalKey = p.key;
    a.final = nameRecord();
    for (const n of p.lock.keys()) a.final[n] = p.eff.get(n) ?? [entryState(p.lock.get(n)!), null, null];
  }
  header.head = head;
  header.chainLength = (base ? base.chainLength : baseChain ? baseChain.length : 0) + rows.length;
  // crc32 goes on from the sum of the chain before: the chain is not read again.
  header.chainSum = crc32(chainBuf, base ? base.chainSum : 0);
  header.sources = b.sources;
  header.unreadable = firstUnreadable(b.unreadable);
  await table.commit();
  header.commitRows = table.rows;
  await writeFileAtomic(file(`${key}.json`), encodeStreamHeader(header));
  await writeFileAtomic(file(`${key}.head`), `${head}\n`);
  return walk.commits.length;
}

/** The new commits' rows into `b`: in two halves on two threads when there are many. */
async function walkNew(repo: ConfigRepo, commits: readonly Commit[], startPos: number, stoppedAt: string | null, b: Building, opts: BuildOptions): Promise<void> {
  const report = (walked: number) => opts.onProgress?.({ phase: 'Indexing history', loaded: walked, total: commits.length });
  const segments = opts.segments === undefined ? segmentsInWorker() : opts.segments;
  if (!segments || commits.length < Math.max(2, segments.minCommits)) {
    walkCommits(repo, commits, startPos, b, null, report);
    return;
  }
  // The older commits cost more each (deeper delta chains in the pack, and the thread's
  // start-up): at 10x a 50/50 cut had the older half finish 1.5-2 s after the newer one,
  // and 40/60 within 0.1-0.4 s of it.
  const mid = Math.round(commits.length * OLDER_SHARE);
  const prior = stoppedAt ? repo.commit(stoppedAt) : null;
  const older = segments.run({
    dir: repo.location.dir,
    upstream: repo.upstream,
    commits: commits.slice(0, mid).map((c) => [c.oid, c.tree]),
    startPos,
    prior: prior ? [prior.oid, prior.tree] : null,
  });
  // Whatever happens here, the other thread's walk is awaited before this one returns.
  older.catch(() => undefined);
  const newer = newBuilding();
  // Each half starts from its first commit's lock files; when one of those cannot be read, the
  // states there are the ones of a commit before it, which only the whole walk knows.
  const primed = primeAt(repo, commits[mid - 1], startPos + mid - 1, newer) && (!prior || primeAt(repo, prior, startPos - 1, newBuilding()));
  if (!primed) {
    await older.catch(() => undefined);
    walkCommits(repo, commits, startPos, b, null, report);
    return;
  }
  walkCommits(repo, commits.slice(mid), startPos + mid, newer, null, (walked) => report(2 * walked));
  joinSegments(b, await older, newer);
}

/** Every other stream with an index at its recorded head whose files check out. */
function otherStreams(dir: string, ref: string, table: CommitTable): Other[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json') && n !== 'commits.json');
  } catch {
    return [];
  }
  const out: Other[] = [];
  for (const n of names) {
    const key = n.slice(0, -'.json'.length);
    const h = readWholeHeader(path.join(dir, n));
    if (!h || h.version !== FORMAT_VERSION || h.ref === ref || streamKey(h.ref) !== key) continue;
    try {
      if (fs.readFileSync(path.join(dir, `${key}.head`), 'latin1') !== `${h.head}\n`) continue;
      out.push({ h, chain: chainRows(checkStream(dir, key, h, table.rows, { cut: true, full: false })) });
    } catch {
      /* a stream being rewritten, or damaged: not shared this time */
    }
  }
  return out;
}

/** Takes another stream's rows with positions up to `pos`, its reports there, and its states there. */
function copyPrefix(repo: ConfigRepo, dir: string, table: CommitTable, other: Other, pos: number, b: Building): void {
  const otherKey = streamKey(other.h.ref);
  const stopCommit = repo.commit(table.oidOf(other.chain[pos])!);
  const files = commitFiles(repo, stopCommit);
  for (const [arch, a] of Object.entries(other.h.arches)) {
    const file = path.join(dir, `${otherKey}.${arch}.rows`);
    const text = readRange(file, 0, a.rowsLength);
    const byName = new Map<string, ChangeRow[]>();
    const last: Record<string, Mark> = nameRecord();
    for (const [name, segs] of Object.entries(a.dir)) {
      const kept: ChangeRow[] = [];
      for (const [off, len] of segs) for (const r of rowsOfSegment(text.subarray(off, off + len), name, file)) if (r[0] <= pos) kept.push(r);
      if (!kept.length) continue;
      byName.set(name, kept);
      const l = kept[kept.length - 1];
      if (l[1] !== '') last[name] = [l[1], l[2], l[3]];
    }
    b.rows.set(arch, byName);
    b.prev.set(arch, { key: archKey(files, arch), lock: locksOf(last), eff: overridesOf(last) });
  }
  Object.assign(b.sources, other.h.sources);
  b.unreadable.push(...other.h.unreadable.filter((u) => u[1] <= pos));
}
