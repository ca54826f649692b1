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
  /**
   * The streams come one at a time from the main thread instead (`next` / `NextStream`): the
   * background indexer can then put a stream a query waits for ahead of the others.
   */
  pull?: boolean;
}

/** The main thread's answer to `next` in a pull job: the stream to index, null to stop. */
export interface NextStream {
  stream: string | null;
  /** Streams indexed so far and in all, for one progress bar over the job. */
  done: number;
  total: number;
}

export type WorkerMessage =
  | { type: 'progress'; stream: string; done: number; total: number; commits: number; commitsTotal: number }
  | { type: 'next' }
  | { type: 'built'; stream: string }
  | { type: 'done'; built: number }
  | { type: 'error'; message: string };

/** Indexes every stream of a repo (every arch in one walk per stream); returns how many. */
export async function buildAllIndexes(
  dir: string,
  opts: {
    upstream?: string;
    streams?: string[];
    /** Where the streams come from one at a time (a pull job), instead of `streams`. */
    next?: () => Promise<NextStream>;
    onProgress?: (m: Extract<WorkerMessage, { type: 'progress' }>) => void;
    onBuilt?: (stream: string) => void;
  } = {},
): Promise<number> {
  const repo = await ConfigRepo.open(dir, { upstream: opts.upstream ?? 'origin' });
  try {
    let next = opts.next;
    if (!next) {
      const streams = opts.streams ?? (await listStreams(repo)).map((s) => s.name);
      let i = 0;
      next = async () => ({ stream: streams[i] ?? null, done: i++, total: streams.length });
    }
    let built = 0;
    for (let order = await next(); order.stream !== null; order = await next()) {
      const { stream, done, total } = order;
      const report = (commits: number, commitsTotal: number) => opts.onProgress?.({ type: 'progress', stream, done, total, commits, commitsTotal });
      try {
        await new HistoryIndex(repo, { onProgress: (p) => report(p.loaded, p.total) }).update(stream);
      } catch {
        // A writer lock held too long, a ref gone: the query on that stream builds it or says why.
      }
      built++;
      // Its whole share: a stream already indexed reports nothing else, and showed 0% done.
      report(1, 1);
      opts.onBuilt?.(stream);
    }
    return built;
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
  const port = parentPort;
  // A pull job asks for each stream as it is ready for it: the answer is the stream the main thread wants first.
  const next = (): Promise<NextStream> =>
    new Promise((resolve) => {
      port.once('message', (order: NextStream) => resolve(order));
      port.postMessage({ type: 'next' } satisfies WorkerMessage);
    });
  buildAllIndexes(job.dir, {
    upstream: job.upstream,
    streams: job.streams,
    next: job.pull ? next : undefined,
    onProgress: (m) => port.postMessage(m satisfies WorkerMessage),
    onBuilt: (stream) => port.postMessage({ type: 'built', stream } satisfies WorkerMessage),
  }).then(
    (built) => parentPort?.postMessage({ type: 'done', built } satisfies WorkerMessage),
    (err) => parentPort?.postMessage({ type: 'error', message: (err as Error).message } satisfies WorkerMessage),
  );
}
