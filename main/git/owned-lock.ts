/**
 * A lock folder that names its holder: an `owner` file inside it (pid and host). The history
 * index's lock and the drafts' writer lock both use it, so that a lock left by a writer killed on
 * this machine is taken over at once instead of after it goes stale.
 *
 * The name lives inside the folder, so it names that folder and no other: a folder re-taken by
 * another writer has no name yet or its new one. Times cannot tell this (proper-lockfile moves a
 * folder's mtime at every refresh, ahead of its owner file). A takeover happens inside a guard
 * folder, with the owner read again there, so two waiters never both remove a lock one of them
 * has just taken.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pidAlive } from './atomic-fs';

interface Owner {
  pid: number;
  host: string;
}

const OWNER = 'owner';
// A guard this old was left by a waiter killed inside its takeover.
const GUARD_STALE_MS = 5_000;

/** Writes this process's name into a lock folder it has just taken. */
export function nameLockOwner(lockDir: string): void {
  fs.writeFileSync(path.join(lockDir, OWNER), JSON.stringify({ pid: process.pid, host: os.hostname() } satisfies Owner));
}

/** The path of the owner file, for errors that must name it. */
export const lockOwnerFile = (lockDir: string): string => path.join(lockDir, OWNER);

function readOwner(lockDir: string): Owner | null {
  try {
    const o = JSON.parse(fs.readFileSync(path.join(lockDir, OWNER), 'utf8')) as { pid?: unknown; host?: unknown };
    return typeof o?.pid === 'number' && typeof o.host === 'string' ? { pid: o.pid, host: o.host } : null;
  } catch {
    return null;
  }
}

/**
 * Removes the lock of a holder that died on this machine; with `unnamedStaleMs`, also an unnamed
 * lock (taken a moment ago, or by a writer that could not name itself) once that old.
 */
export function takeOverDeadLock(lockDir: string, opts: { unnamedStaleMs?: number } = {}): void {
  const owner = readOwner(lockDir);
  const dead = owner !== null && owner.host === os.hostname() && !pidAlive(owner.pid);
  let stale = false;
  if (owner === null && opts.unnamedStaleMs !== undefined) {
    try {
      stale = Date.now() - fs.statSync(lockDir).mtimeMs > opts.unnamedStaleMs;
    } catch {
      return; // Gone meanwhile.
    }
  }
  if (!dead && !stale) return;
  const guard = `${lockDir}.takeover`;
  try {
    fs.mkdirSync(guard);
  } catch {
    // Another waiter is taking it over, or one was killed doing so.
    try {
      if (Date.now() - fs.statSync(guard).mtimeMs > GUARD_STALE_MS) fs.rmSync(guard, { recursive: true, force: true });
    } catch {
      // Gone meanwhile.
    }
    return;
  }
  try {
    // The same dead owner (or still none) inside: the folder is still the one it took.
    const again = readOwner(lockDir);
    if (dead ? again?.pid === owner.pid : again === null) fs.rmSync(lockDir, { recursive: true, force: true });
  } finally {
    fs.rmSync(guard, { recursive: true, force: true });
  }
}
