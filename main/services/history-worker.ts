/**
 * Builds history indexes off the main thread (a worker_threads worker): after a clone, open or
 * fetch, every stream's index is built or extended on disk while the UI stays responsive;
 * queries then load the index from disk.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigRepo } from './config-repo';
import { HistoryIndex } from './history-index';

export interface IndexJob {
  dir: string;
  upstream: string;
  streams: string[];
  arches: string[];
}

export type WorkerMessage =
  | { type: 'progress'; stream: string; arch: string; done: number; total: number }
  | { type: 'done'; built: number }
  | { type: 'error'; message: string };

async function run(job: IndexJob): Promise<void> {
  const repo = await ConfigRepo.open(job.dir, { upstream: job.upstream });
  const total = job.streams.length * job.arches.length;
  let done = 0;
  try {
    for (const stream of job.streams) {
      for (const arch of job.arches) {
        try {
          await new HistoryIndex(repo).index(stream, arch);
        } catch {
          // A stream without this arch, or a malformed commit: queries will report it.
        }
        done++;
        parentPort?.postMessage({ type: 'progress', stream, arch, done, total } satisfies WorkerMessage);
      }
    }
    parentPort?.postMessage({ type: 'done', built: done } satisfies WorkerMessage);
  } finally {
    repo.close();
  }
}

if (parentPort && workerData) {
  run(workerData as IndexJob).catch((err) => parentPort?.postMessage({ type: 'error', message: (err as Error).message } satisfies WorkerMessage));
}
