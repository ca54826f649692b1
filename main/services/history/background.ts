/**
 * Runs the history worker for a repo, one job at a time, and lets queries wait for it: the
 * app's main thread never builds an index itself (it would duplicate the worker's work and
 * block the UI for seconds).
 */
import { Worker } from 'node:worker_threads';
import type { IndexJob, WorkerMessage } from './worker';
import { workerScript } from './worker-script';

export interface IndexProgress {
  phase: string;
  loaded: number;
  total: number;
}

/** Runs one worker job; resolves with the number of streams indexed (0 when no worker is built). */
export function buildIndexInWorker(job: IndexJob, onProgress: (p: IndexProgress) => void): Promise<number> {
  const script = workerScript();
  if (!script) return Promise.resolve(0);
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: job });
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') {
        // Streams done, plus the running stream's share: one bar for the whole job.
        const part = m.commitsTotal ? m.commits / m.commitsTotal : 0;
        onProgress({ phase: `Indexing history: ${m.stream}`, loaded: Math.round((m.done + part) * 1000), total: m.total * 1000 });
      } else if (m.type === 'done') resolve(m.built);
      else reject(new Error(m.message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve(0) : reject(new Error(`history worker exited with ${code}`))));
    // Never keeps the process alive on its own.
    worker.unref();
  });
}

/**
 * The one history builder of an open repo: jobs run one after the other in the worker, and a
 * query that needs an index waits for the running job, then for its own ref if still missing.
 */
export class BackgroundIndexer {
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly upstream: string,
    private readonly onProgress: (p: IndexProgress) => void,
  ) {}

  /** Queues a job for these streams (all of the repo's when absent). */
  index(streams?: string[]): Promise<number> {
    const job = this.running.catch(() => undefined).then(() => buildIndexInWorker({ dir: this.dir, upstream: this.upstream, streams }, this.onProgress));
    this.running = job;
    return job;
  }

  /** For `HistoryOptions.build`: waits for the worker, then has it index `ref` (a no-op when done). */
  async build(ref: string): Promise<void> {
    await this.running.catch(() => undefined);
    await this.index([ref]).catch(() => undefined);
  }
}
