/**
 * Runs the history worker for a repo and lets queries wait for it: the app's main thread never
 * builds an index itself (it would duplicate the worker's work and block the UI for seconds).
 * The worker asks for its streams one at a time, so a stream a query waits for goes ahead of
 * the ones queued for the background (SPEC §5: the asked stream is answered first).
 */
import type { Worker } from 'node:worker_threads';
import { workerThreads } from './threads';
import type { NextStream, WorkerMessage } from './worker';
import { workerScript } from './worker-script';

export interface IndexProgress {
  phase: string;
  loaded: number;
  total: number;
}

/** The one history builder of an open repo: a worker indexing the queued streams in turn, asked ones first. */
export class BackgroundIndexer {
  private readonly queue: string[] = [];
  private worker: Worker | null = null;
  /** The stream the worker is indexing, and how many it has indexed since it started. */
  private current: string | null = null;
  private done = 0;
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(
    private readonly dir: string,
    private readonly upstream: string,
    private readonly onProgress: (p: IndexProgress) => void,
  ) {}

  /** Queues these streams behind the ones queued before; resolves with their number once they are indexed (0 when no worker is built). */
  async index(streams: string[]): Promise<number> {
    if (!workerScript()) return 0;
    const waits = streams.map((s) => {
      if (s !== this.current && !this.queue.includes(s)) this.queue.push(s);
      return this.waitFor(s);
    });
    this.start();
    await Promise.all(waits);
    return streams.length;
  }

  /**
   * For `HistoryOptions.build`: `ref` indexed next, ahead of the queue; resolves when it is
   * (a no-op when it was). The stream being indexed is never cut short: it is one walk.
   */
  async build(ref: string): Promise<void> {
    if (!workerScript()) return;
    if (ref !== this.current) {
      const at = this.queue.indexOf(ref);
      if (at >= 0) this.queue.splice(at, 1);
      this.queue.unshift(ref);
    }
    const wait = this.waitFor(ref);
    this.start();
    await wait;
  }

  private waitFor(stream: string): Promise<void> {
    return new Promise((resolve) => {
      const list = this.waiters.get(stream);
      if (list) list.push(resolve);
      else this.waiters.set(stream, [resolve]);
    });
  }

  private release(stream: string): void {
    for (const resolve of this.waiters.get(stream) ?? []) resolve();
    this.waiters.delete(stream);
  }

  private start(): void {
    const script = workerScript();
    if (this.worker || !this.queue.length || !script) return;
    const worker = new (workerThreads().Worker)(script, { workerData: { dir: this.dir, upstream: this.upstream, pull: true } });
    this.worker = worker;
    this.done = 0;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'next') {
        const stream = this.queue.shift() ?? null;
        this.current = stream;
        worker.postMessage({ stream, done: this.done, total: this.done + this.queue.length + (stream ? 1 : 0) } satisfies NextStream);
      } else if (m.type === 'progress') {
        this.onProgress(jobProgress(m));
      } else if (m.type === 'built') {
        this.done++;
        this.current = null;
        this.release(m.stream);
      }
    });
    const ended = (failed: boolean) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.current = null;
      if (!failed) {
        // Streams queued after it was told to stop: a new worker takes them.
        this.start();
        return;
      }
      // A worker that failed leaves the queries to build what they need on their own thread.
      this.queue.length = 0;
      for (const stream of [...this.waiters.keys()]) this.release(stream);
    };
    worker.on('error', () => ended(true));
    worker.on('exit', (code) => ended(code !== 0));
    // Never keeps the process alive on its own.
    worker.unref();
  }
}

/** Streams done, plus the running stream's share: one bar for the whole job. */
export function jobProgress(m: Extract<WorkerMessage, { type: 'progress' }>): { phase: string; loaded: number; total: number } {
  const part = m.commitsTotal ? m.commits / m.commitsTotal : 0;
  return { phase: `Indexing history: ${m.stream}`, loaded: Math.round((m.done + part) * 1000), total: m.total * 1000 };
}
