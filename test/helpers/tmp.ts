/** Temporary folders for tests, removed at the end of the test process. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dirs: string[] = [];

export function makeTempDir(prefix = 'lockstep-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  while (dirs.length) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
}

process.on('exit', cleanupTempDirs);
