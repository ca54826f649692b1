/**
 * One writer at a time per repo, across processes: the CLI and the app may both write drafts
 * to the same clone. A lock folder in `.git/lockstep/` (proper-lockfile: mkdir is atomic on
 * every file system, the holder refreshes it, it is taken over once STALE_MS old). Beside it,
 * `writer.owner` names the holding process, so a lock left by a killed writer on this machine
 * is taken over at once instead of after STALE_MS. A second writer waits a little, then fails
 * with a message saying what to do.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { AppError } from '../../../shared/errors';
import { pidAlive } from '../../git/atomic-fs';

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

interface Owner {
  pid: number;
  host: string;
}

function mtime(p: string): number | null {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return null;
  }
}

/**
 * Removes the lock of a writer that died on this machine. Only when the lock folder is not
 * newer than the owner file (else someone re-took the lock and has not written its name yet),
 * and inside a takeover guard so that two waiters never both remove a lock one of them took.
 */
function takeOverDeadLock(lockDir: string, ownerFile: string): void {
  let owner: Owner;
  try {
    owner = JSON.parse(fs.readFileSync(ownerFile, 'utf8')) as Owner;
  } catch {
    return;
  }
  if (owner.host !== os.hostname() || pidAlive(owner.pid)) return;
  const lockTime = mtime(lockDir);
  const ownerTime = mtime(ownerFile);
  if (lockTime === null || ownerTime === null || lockTime > ownerTime + 1) return;
  const guard = `${lockDir}.takeover`;
  try {
    fs.mkdirSync(guard);
  } catch {
    if ((mtime(guard) ?? Date.now()) < Date.now() - STALE_MS) fs.rmSync(guard, { recursive: true, force: true });
    return;
  }
  try {
    const again = JSON.parse(fs.readFileSync(ownerFile, 'utf8')) as Owner;
    if (again.pid === owner.pid && (mtime(lockDir) ?? Infinity) <= (mtime(ownerFile) ?? 0) + 1) fs.rmSync(lockDir, { recursive: true, force: true });
  } catch {
    // Gone meanwhile: nothing to take over.
  } finally {
    fs.rmSync(guard, { recursive: true, force: true });
  }
}

/** Runs `fn` holding the repo's writer lock. */
export async function withWriterLock<T>(gitdir: string, fn: () => Promise<T>, opts: WriterLockOptions = {}): Promise<T> {
  const dir = path.join(gitdir, 'lockstep');
  fs.mkdirSync(dir, { recursive: true });
  const lockDir = path.join(dir, 'writer.lock');
  const ownerFile = path.join(dir, 'writer.owner');
  const wait = opts.waitMs ?? 12_000;
  const deadline = Date.now() + wait;
  let release: (() => Promise<void>) | null = null;
  let waited = false;
  const endWait = () => {
    if (waited) opts.onWait?.(false);
    waited = false;
  };
  for (;;) {
    takeOverDeadLock(lockDir, ownerFile);
    try {
      release = await lockfile.lock(dir, {
        lockfilePath: lockDir,
        stale: STALE_MS,
        update: STALE_MS / 4,
        realpath: false,
        retries: 0,
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
        throw new AppError('conflict', `another Lockstep (the app or a lockstep command) is writing drafts to ${gitdir} and did not finish within ${Math.round(wait / 1000)} s; retry when it is done`, {
          file: lockDir,
        });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  endWait();
  try {
    fs.writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, host: os.hostname() } satisfies Owner));
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
