/**
 * The older half of a long history walk, on a second thread: the history index splits a walk
 * of many new commits in two (`HistoryOptions.segments`), and the other half is walked here
 * while the building thread walks the newer one. Each half starts from the lock files of the
 * commit before it, so the two need nothing from each other until their rows are joined.
 */
import { workerThreads } from './threads';
import { AppError, type ErrorCode, type ErrorPlace } from '../../../shared/errors';
import type { SegmentJob, SegmentResult, SegmentRunner } from './walk';
import { workerScript } from './worker-script';

/**
 * Below this many new commits a second thread saves nothing (its start-up: the bundle, the
 * pack). Measured: 3,000 left testing's 1,523 commits at 10x whole and 1,200 split it, 8.4 ->
 * 7.7 s for every stream; the fixture's testing-devel (1,573) then splits too, 1.47 -> 1.39 s.
 */
const MIN_COMMITS = 1200;

export type SegmentMessage = { type: 'segment'; result: SegmentResult } | { type: 'segment-error'; code: ErrorCode | null; message: string; data: ErrorPlace };

/** Halves walked by the bundled history worker; false when it is not built (sources run by tests without a build). */
export function segmentsInWorker(minCommits = MIN_COMMITS): SegmentRunner | false {
  const script = workerScript();
  if (!script) return false;
  return {
    minCommits,
    run: (job) =>
      new Promise<SegmentResult>((resolve, reject) => {
        const worker = new (workerThreads().Worker)(script, { workerData: { segment: job } });
        worker.once('message', (m: SegmentMessage) => {
          // A malformed lock file keeps its located error across the thread.
          if (m.type === 'segment') resolve(m.result);
          else reject(m.code ? new AppError(m.code, m.message, m.data) : new Error(m.message));
        });
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`the history segment worker exited with ${code} before answering`)));
      }),
  };
}
