/**
 * One writer at a time per repo, across processes: the CLI and the app may both write drafts
 * to the same clone. A lock folder in `.git/lockstep/` (proper-lockfile: mkdir is atomic on
 * every file system, the lock is refreshed while held and taken over when its owner died).
 * A second writer waits a little, then fails with a message saying who holds it.
 */
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { AppError } from '../../shared/errors';

export interface WriterLockOptions {
  /** How long a second writer waits before giving up (default 10 s). */
  waitMs?: number;
}

const STALE_MS = 10_000;

/** Runs `fn` holding the repo's writer lock. */
export async function withWriterLock<T>(gitdir: string, fn: () => Promise<T>, opts: WriterLockOptions = {}): Promise<T> {
  const dir = path.join(gitdir, 'lockstep');
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, 'writer');
  const wait = opts.waitMs ?? 10_000;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: `${target}.lock`,
      stale: STALE_MS,
      update: STALE_MS / 4,
      realpath: false,
      retries: { retries: Math.max(1, Math.ceil(wait / 100)), factor: 1, minTimeout: 100, maxTimeout: 100 },
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new AppError('conflict', `another Lockstep (the app or a lockstep command) is writing drafts to ${gitdir} and did not finish within ${Math.round(wait / 1000)} s; retry when it is done`, {
        file: `${target}.lock`,
      });
    }
    throw err;
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
