import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Builds the Node side once so tests can run the real `lockstep` binary. A failed build is
 * reported but does not stop the run: the tests that need the binary then fail by themselves.
 */
export default function setup(): void {
  const r = spawnSync(process.execPath, [path.resolve(__dirname, '../build/build-main.mjs')], { encoding: 'utf8' });
  if (r.status !== 0) console.warn(`build/build-main.mjs failed; CLI tests will fail:\n${r.stderr}`);
}
