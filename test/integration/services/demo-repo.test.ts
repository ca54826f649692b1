import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDemoRepo } from '../../../main/services/demo-repo';
import { cliJson } from '../../helpers/cli';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

describe('the demo repo', () => {
  afterAll(() => cleanupTempDirs());

  it('is a valid, deterministic config repo with every stream and the traps of real data', async () => {
    const a = path.join(makeTempDir(), 'demo');
    const b = path.join(makeTempDir(), 'demo');
    await createDemoRepo(a);
    await createDemoRepo(b);
    const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args]).toString().trim();
    expect(git(a, 'fsck', '--strict')).toBe('');
    expect(git(a, 'rev-parse', 'testing-devel')).toBe(git(b, 'rev-parse', 'testing-devel'));
    expect(git(a, 'status', '--porcelain')).toBe('');
    expect(git(a, 'rev-list', '--merges', '--all').split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(1);
    const streams = cliJson<{ name: string; ref: string; arches: Record<string, number>; behind: number | null }[]>(['streams', '--repo', a]);
    expect(streams.map((s) => s.name)).toEqual(['testing-devel', 'testing', 'stable', 'next-devel', 'next', 'rawhide']);
    expect(streams[0].ref).toBe('refs/remotes/origin/testing-devel');
    expect(streams.find((s) => s.name === 'rawhide')?.arches).toEqual({});
    expect(streams.find((s) => s.name === 'testing')?.behind).toBeGreaterThan(0);
    // A promotion names a real testing-devel commit with the same lock files.
    const subject = git(a, 'log', '-1', '--format=%s', 'testing');
    const promoted = /promote changes from testing-devel at ([0-9a-f]{40})/.exec(subject)![1];
    expect(git(a, 'rev-parse', `${promoted}:manifest-lock.x86_64.json`)).toBe(git(a, 'rev-parse', 'testing:manifest-lock.x86_64.json'));
    // lvm2's device-mapper binaries carry their own version; podman its epoch.
    const lock = JSON.parse(git(a, 'show', 'testing-devel:manifest-lock.x86_64.json')).packages;
    expect(lock['device-mapper'].evra.split('-')[0]).not.toBe(lock.lvm2.evra.split('-')[0]);
    expect(lock.podman.evra).toMatch(/^5:/);
    expect(lock['grub2-pc']).toBeDefined();
    expect(JSON.parse(git(a, 'show', 'testing-devel:manifest-lock.s390x.json')).packages['grub2-pc']).toBeUndefined();
  }, 60_000);
});
