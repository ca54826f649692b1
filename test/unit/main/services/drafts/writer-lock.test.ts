import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withWriterLock } from '../../../../../main/services/drafts/writer-lock';
import { bundleForChild, childNodePath } from '../../../../helpers/bundle-for-child';
import { REPO_ROOT } from '../../../../helpers/cli';
import { cleanupTempDirs, makeTempDir } from '../../../../helpers/tmp';

/** A child process that takes the lock, holds it `holdMs` (proper-lockfile refreshes it every 1.25 s), and is SIGKILLed holding it. */
function killedHolding(gitdir: string, holdMs: number): Promise<NodeJS.Signals | null> {
  const lib = bundleForChild('main/services/drafts/writer-lock.ts');
  const script = `require(${JSON.stringify(lib)}).withWriterLock(${JSON.stringify(gitdir)}, () => new Promise((r) => setTimeout(r, ${holdMs}))).then(() => process.exit(3)); setTimeout(() => process.kill(process.pid, 'SIGKILL'), ${holdMs - 100});`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: REPO_ROOT, env: { ...process.env, ...childNodePath }, stdio: 'inherit' });
    child.on('close', (_code, signal) => resolve(signal));
  });
}

describe('the writer lock', () => {
  afterAll(() => cleanupTempDirs());

  it('is taken over at once from a writer killed after holding it over a refresh', async () => {
    const gitdir = makeTempDir();
    // 2.9 s: two refreshes (every 1.25 s) moved the lock folder's mtime past anything its owner wrote.
    expect(await killedHolding(gitdir, 2_900)).toBe('SIGKILL');
    expect(fs.existsSync(path.join(gitdir, 'lockstep', 'writer.lock'))).toBe(true);
    // Well under the 5 s after which any lock is stale: only the dead owner lets it through.
    expect(await withWriterLock(gitdir, async () => 'mine', { waitMs: 300 })).toBe('mine');
  }, 20_000);

  it('is taken over at once from a writer killed as soon as it held it', async () => {
    const gitdir = makeTempDir();
    expect(await killedHolding(gitdir, 300)).toBe('SIGKILL');
    expect(await withWriterLock(gitdir, async () => 'mine', { waitMs: 300 })).toBe('mine');
  }, 20_000);

  it('waits for a lock whose holder has not named itself yet, then fails saying what to do', async () => {
    const gitdir = makeTempDir();
    fs.mkdirSync(path.join(gitdir, 'lockstep', 'writer.lock'), { recursive: true });
    await expect(withWriterLock(gitdir, async () => 'mine', { waitMs: 300 })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/another Lockstep .* did not finish within 300 ms; retry when it is done/) });
  });

  it('leaves nothing behind when released, also after being held over refreshes', async () => {
    const gitdir = makeTempDir();
    await withWriterLock(gitdir, async () => undefined);
    expect(fs.readdirSync(path.join(gitdir, 'lockstep'))).toEqual([]);
    // Two refreshes (every 1.25 s): each checks the folder's time is still the one it set.
    await withWriterLock(gitdir, () => new Promise((r) => setTimeout(r, 2_800)));
    expect(fs.readdirSync(path.join(gitdir, 'lockstep'))).toEqual([]);
  }, 10_000);
});
