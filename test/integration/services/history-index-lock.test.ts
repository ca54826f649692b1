/**
 * The history index's lock after its holder was killed (a fetch killed while indexing): taken
 * over at once when its owner is gone from this machine, where it used to hold every history
 * query for a minute; left alone while its owner lives.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockIndex } from '../../../main/services/history/build';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

/** A lock folder as a holder leaves it, naming `pid`. */
function heldBy(pid: number): string {
  const dir = makeTempDir();
  fs.mkdirSync(path.join(dir, '.lock'));
  fs.writeFileSync(path.join(dir, '.lock', 'owner'), JSON.stringify({ pid, host: os.hostname() }));
  return dir;
}

describe('the history index lock', () => {
  afterAll(() => cleanupTempDirs());

  // A stale-lock rule alone (a minute) would not finish within the test's 15 s.
  it("is taken over at once when its holder is gone, the lock left as the holder's kill left it", async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const dir = heldBy(gone);
    const release = await lockIndex(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, '.lock', 'owner'), 'utf8')).pid).toBe(process.pid);
    release();
    expect(fs.existsSync(path.join(dir, '.lock'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '.lock.takeover'))).toBe(false);
  }, 15_000);

  it('waits while its holder lives, and takes it once released', async () => {
    const dir = heldBy(process.pid);
    let got = false;
    const taking = lockIndex(dir).then((release) => {
      got = true;
      return release;
    });
    // Several of the waiter's 100 ms rounds pass with the holder alive: still waiting.
    await expect.poll(() => fs.existsSync(path.join(dir, '.lock')) && !got, { timeout: 1_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(got).toBe(false);
    fs.rmSync(path.join(dir, '.lock'), { recursive: true });
    (await taking)();
    expect(got).toBe(true);
  }, 15_000);
});
