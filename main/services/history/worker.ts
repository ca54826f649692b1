/**
 * Builds history indexes off the main thread (a worker_threads worker): after a clone, open or
 * fetch, every stream's index is built or extended on disk while the UI stays responsive. It is
 * the only builder in the app: queries on the main thread wait for it (`background.ts`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import { ConfigRepo } from '../review/config-repo';
import { HistoryIndex } from './history-index';
import type { SegmentMessage } from './split';
import { listStreams } from '../review/streams';
import { lowerThisThreadPriority } from './thread-priority';
import { walkSegment as walkSegmentIn, type SegmentJob, type SegmentResult } from './walk';

export interface IndexJob {
  dir: string;
  upstream: string;
  /** Streams (or any refs) to index, in this order; all of them when absent. */
  streams?: string[];
}

export type WorkerMessage =
  | { type: 'progress'; stream: string; done: number; total: number; commits: number; commitsTotal: number }
  | { type: 'done'; built: number }
  | { type: 'error'; message: string };

/** Indexes every stream of a repo (every arch in one walk per stream); returns how many. */
export async function buildAllIndexes(
  dir: string,
  opts: { upstream?: string; streams?: string[]; onProgress?: (m: Extract<WorkerMessage, { type: 'progress' }>) => void } = {},
): Promise<number> {
  const repo = await ConfigRepo.open(dir, { upstream: opts.upstream ?? 'origin' });
  try {
    const streams = opts.streams ?? (await listStreams(repo)).map((s) => s.name);
    let done = 0;
    for (const stream of streams) {
      const report = (commits: number, commitsTotal: number) => opts.onProgress?.({ type: 'progress', stream, done, total: streams.length, commits, commitsTotal });
      try {
        await new HistoryIndex(repo, { onProgress: (p) => report(p.loaded, p.total) }).update(stream);
      } catch {
        // A malformed commit: the query on that stream reports it, with its place.
      }
      done++;
      report(0, 0);
    }
    return done;
  } finally {
    repo.close();
  }
}

/** The older half of a split walk (`split.ts`), in a repo of its own. */
export async function walkSegment(job: SegmentJob): Promise<SegmentResult> {
  const repo = await ConfigRepo.open(job.dir, { upstream: job.upstream });
  try {
    return walkSegmentIn(repo, job);
  } finally {
    repo.close();
  }
}

if (parentPort && workerData) {
  // Indexing is background work: the app's main thread and its UI go first.
  lowerThisThreadPriority();
}
if (parentPort && workerData && 'segment' in (workerData as object)) {
  walkSegment((workerData as { segment: SegmentJob }).segment).then(
    (result) => parentPort?.postMessage({ type: 'segment', result } satisfies SegmentMessage),
    (err) => parentPort?.postMessage({ type: 'segment-error', code: err instanceof AppError ? err.code : null, message: (err as Error).message, data: err instanceof AppError ? err.data : {} } satisfies SegmentMessage),
  );
} else if (parentPort && workerData) {
  const job = workerData as IndexJob;
  buildAllIndexes(job.dir, { upstream: job.upstream, streams: job.streams, onProgress: (m) => parentPort?.postMessage(m satisfies WorkerMessage) }).then(
    (built) => parentPort?.postMessage({ type: 'done', built } satisfies WorkerMessage),
    (err) => parentPort?.postMessage({ type: 'error', message: (err as Error).message } satisfies WorkerMessage),
  );
}
