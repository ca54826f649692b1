/** Starts the history worker for a repo and reports its progress as an operation. */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IndexJob, WorkerMessage } from './history-worker';

export interface IndexProgress {
  phase: string;
  loaded: number;
  total: number;
}

/** The bundled worker next to the running bundle (dist/main/history-worker.cjs). */
export function workerScript(): string | null {
  // Bundled: beside this file. From sources (tests): the built copy in dist/main.
  for (const p of [path.join(__dirname, 'history-worker.cjs'), path.resolve(__dirname, '../../dist/main/history-worker.cjs')]) {
    if (fs.existsSync(p)) return p;
  }
  return null;
}

export function buildIndexInWorker(job: IndexJob, onProgress: (p: IndexProgress) => void): Promise<number> {
  const script = workerScript();
  if (!script) return Promise.resolve(0);
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: job });
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress({ phase: `Indexing history: ${m.stream} ${m.arch}`, loaded: m.done, total: m.total });
      else if (m.type === 'done') resolve(m.built);
      else reject(new Error(m.message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve(0) : reject(new Error(`history worker exited with ${code}`))));
    // Never keeps the process alive on its own.
    worker.unref();
  });
}
