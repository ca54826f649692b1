/**
 * Where the bundled history worker is. Its own module: the index (through `split.ts`) and the
 * background indexer both start the worker, and the worker itself imports the index.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The bundled worker next to the running bundle (dist/main/history-worker.cjs). */
export function workerScript(): string | null {
  // Bundled: beside this file. From sources (tests): the built copy in dist/main.
  for (const p of [path.join(__dirname, 'history-worker.cjs'), path.resolve(__dirname, '../../../dist/main/history-worker.cjs')]) {
    if (fs.existsSync(p)) return p;
  }
  return null;
}
