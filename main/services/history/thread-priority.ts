/**
 * Lowers the CPU priority of the calling thread only. Meant for worker threads doing background
 * work (the history worker): on a 2-core machine an indexing worker at normal priority takes a
 * core that the main thread, the UI's renderer and the host's own processes also want.
 */
import fs from 'node:fs';
import os from 'node:os';
import { workerThreads } from './threads';

/** The lowest priority: the thread runs when nothing else wants the CPU. */
const BACKGROUND_NICE = 19;

/** `1234/task/5678` → `5678`. */
const lastSegment = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/**
 * Best effort; true when the thread's priority was lowered. Node has no thread id API, and
 * `os.setPriority()` without one names the main thread; Linux keeps a nice value per thread and
 * names the calling thread in /proc/thread-self. Elsewhere (macOS, Windows) the thread keeps its
 * priority and this returns false, as on the main thread, which is never lowered.
 */
export function lowerThisThreadPriority(): boolean {
  if (process.platform !== 'linux' || workerThreads().isMainThread) return false;
  try {
    const tid = Number(lastSegment(fs.readlinkSync('/proc/thread-self')));
    if (!Number.isInteger(tid) || tid <= 0) return false;
    os.setPriority(tid, BACKGROUND_NICE);
    return true;
  } catch {
    // No /proc, or a sandbox that refuses setpriority: the work still runs, only not behind the UI.
    return false;
  }
}
