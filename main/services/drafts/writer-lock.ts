/**
 * One writer at a time per repo, across processes: the CLI and the app may both write drafts
 * to the same clone. A lock folder in `.git/lockstep/` (proper-lockfile: mkdir is atomic on
 * every file system, the holder refreshes it, it is taken over once STALE_MS old). Inside it,
 * `owner` names the holding process, so a lock left by a killed writer on this machine is taken
 * over at once instead of after STALE_MS. A second writer waits a little, then fails with a
 * message saying what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { AppError } from '../../../shared/errors';
import { lockOwnerFile, nameLockOwner, takeOverDeadLock } from '../../git/owned-lock';

export interface WriterLockOptions {
  /** How long a second writer waits before giving up (default 12 s). */
  waitMs?: number;
  /** Told once when the lock is found held (the wait begins), and once when the wait ends, taken or given up. */
  onWait?: (waiting: boolean) => void;
}

// A lock no live holder refreshes is taken over once its folder is this old. A writer killed
// on this machine after writing its owner file is taken over at once; this covers one killed
// between taking the lock and naming itself, and other machines sharing the folder. It must
// stay well under a waiter's patience (12 s).
const STALE_MS = 5_000;

// proper-lockfile removes its folder with rmdir, which fails on the owner file inside: its fs
// here removes the folder with what is in it (its unlock and its stale takeover alike).
const lockFs = { ...fs, rmdir: (p: string, cb: (err: NodeJS.ErrnoException | null) => void) => fs.rm(p, { recursive: true }, cb) };

/** Runs `fn` holding the repo's writer lock. */
export async function withWriterLock<T>(gitdir: string, fn: () => Promise<T>, opts: WriterLockOptions = {}): Promise<T> {
  const dir = path.join(gitdir, 'lockstep');
  fs.mkdirSync(dir, { recursive: true });
  const lockDir = path.join(dir, 'writer.lock');
  const wait = opts.waitMs ?? 12_000;
  const deadline = Date.now() + wait;
  let release: (() => Promise<void>) | null = null;
  let waited = false;
  const endWait = () => {
    if (waited) opts.onWait?.(false);
    waited = false;
  };
  for (;;) {
    takeOverDeadLock(lockDir);
    try {
      release = await lockfile.lock(dir, {
        lockfilePath: lockDir,
        stale: STALE_MS,
        update: STALE_MS / 4,
        realpath: false,
        retries: 0,
        fs: lockFs,
        // proper-lockfile's default throws from a timer, crashing the writer mid-write. A lock
        // refreshed too late changes nothing here: every draft write is a compare-and-swap of
        // its branch, so a writer that lost the lock fails its swap instead of overwriting.
        onCompromised: () => undefined,
      });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') {
        endWait();
        throw err;
      }
      if (!waited) {
        waited = true;
        opts.onWait?.(true);
      }
      if (Date.now() >= deadline) {
        endWait();
        throw new AppError('conflict', `another Lockstep (the app or a lockstep command) is writing drafts to ${gitdir} and did not finish within ${wait < 1000 ? `${wait} ms` : `${Math.round(wait / 1000)} s`}; retry when it is done`, {
          file: lockDir,
        });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  endWait();
  try {
    try {
      // Naming itself moves the folder's mtime, which proper-lockfile checks at each refresh (a
      // lock whose time is not the one it set is "compromised", then never removed): put it back.
      const taken = fs.statSync(lockDir).mtime;
      nameLockOwner(lockDir);
      fs.utimesSync(lockDir, taken, taken);
    } catch (err) {
      // A write's error names no file (a full disk): name it, so "disk full at PATH" can.
      if (err && typeof err === 'object' && !('path' in err)) Object.assign(err, { path: lockOwnerFile(lockDir) });
      throw err;
    }
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
