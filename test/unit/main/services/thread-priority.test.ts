import os from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { lowerThisThreadPriority } from '../../../../main/services/history/thread-priority';

describe('thread-priority', () => {
  it.runIf(isMainThread)('never lowers the main thread, which would slow the whole app', () => {
    const before = os.getPriority();
    expect(lowerThisThreadPriority()).toBe(false);
    expect(os.getPriority()).toBe(before);
  });
});
