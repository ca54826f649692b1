import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, runCli } from '../../helpers/cli';
import { createRepo, lockfileJson, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs } from '../../helpers/tmp';

const lock = (v: string, n: number) =>
  lockfileJson(Object.fromEntries(Array.from({ length: n }, (_, i) => [`pkg${i}`, `${v}-1.fc40.x86_64`])));

describe('the CLI at the edges', () => {
  let repo: RepoBuilder;
  beforeAll(() => {
    repo = createRepo();
    repo.branch('testing-devel');
    repo.commit('a', { 'manifest-lock.x86_64.json': lock('1.0', 4000) });
    repo.branch('stable');
    repo.checkout('testing-devel');
    repo.commit('b', { 'manifest-lock.x86_64.json': lock('1.1', 4000) });
  });
  afterAll(() => cleanupTempDirs());

  it('stops quietly when its reader goes away (lockstep diff --json | head -1)', async () => {
    for (const format of ['--json', '--md', '']) {
      const r = await new Promise<{ status: number | null; stderr: string; first: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'diff', 'stable', 'testing-devel', ...(format ? [format] : []), '--repo', repo.dir], { cwd: REPO_ROOT });
        let stderr = '';
        let first = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.stdout.once('data', (d: Buffer) => {
          first = d.toString().split('\n')[0];
          // What head does after its first line: close the pipe.
          child.stdout.destroy();
        });
        child.on('close', (status) => resolve({ status, stderr, first }));
      });
      expect(r.first.length).toBeGreaterThan(0);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('also through a shell pipe', () => {
    const out = execFileSync('sh', ['-c', `"${process.execPath}" "${CLI}" diff stable testing-devel --json --repo "${repo.dir}" 2>&1 | head -1`], { encoding: 'utf8' });
    expect(out.split('\n')[0]).toBe('{');
    expect(out).not.toMatch(/EPIPE|at .*\(node:/);
  });

  it('compares and writes back epochs of any size', () => {
    expect(runCli(['evrcmp', '9007199254740993:1-1', '9007199254740992:1-1']).stdout).toBe('1\n');
    expect(runCli(['evrcmp', '99999999999999999999:1-1', '100000000000000000000:1-1']).stdout).toBe('-1\n');
    const big = createRepo();
    big.branch('testing-devel');
    big.commit('a', { 'manifest-lock.x86_64.json': lockfileJson({ podman: { evra: '99999999999999999999:5.2.4-1.fc40.x86_64', sourcerpm: 'podman' } }) });
    const r = runCli(['pin', 'podman', '99999999999999999999:5.2.5-1.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', 'https://example.org/1', '--repo', big.dir], {
      env: { GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.org' },
    });
    expect(r.stderr).toBe('');
    const text = execFileSync('git', ['-C', big.dir, 'show', `${r.stdout.trim()}:manifest-lock.overrides.yaml`], { encoding: 'utf8' });
    expect(text).toContain('evr: 99999999999999999999:5.2.5-1.fc40');
    const d = runCli(['diff', 'testing-devel', r.stdout.trim(), '--json', '--repo', big.dir]);
    expect(JSON.parse(d.stdout).x86_64.upgraded.podman).toEqual(['99999999999999999999:5.2.4-1.fc40', '99999999999999999999:5.2.5-1.fc40']);
  });

  it('keeps Latin-1 comments Latin-1 and writes added lines of a CRLF file with CRLF', () => {
    const r = createRepo();
    r.branch('testing-devel');
    const header = Buffer.from('# Gel\xe9 pour Ren\xe9 \xa9 2020\r\npackages:\r\n  kernel:\r\n    evr: 6.10.1-200.fc40\r\n    metadata:\r\n      reason: https://example.org/k\r\n      type: pin\r\n', 'latin1');
    r.commit('a', { 'manifest-lock.x86_64.json': lockfileJson({ podman: '5:5.2.4-1.fc40.x86_64', kernel: '6.10.1-200.fc40.x86_64' }) });
    fs.writeFileSync(path.join(r.dir, 'manifest-lock.overrides.yaml'), header);
    r.commit('b', {});
    const pin = runCli(['pin', 'podman', '5:5.2.5-1.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', 'https://example.org/1', '--repo', r.dir], {
      env: { GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.org' },
    });
    expect(pin.stderr).toBe('');
    const bytes = execFileSync('git', ['-C', r.dir, 'show', `${pin.stdout.trim()}:manifest-lock.overrides.yaml`]);
    expect(bytes.subarray(0, header.length).equals(header)).toBe(true);
    expect(bytes.toString('latin1').slice(header.length)).toBe('  podman:\r\n    evr: 5:5.2.5-1.fc40\r\n    metadata:\r\n      reason: https://example.org/1\r\n      type: pin\r\n');
    // The diff a reviewer sees reads the comment as written, not as U+FFFD.
    const dry = runCli(['unpin', 'kernel', '--stream', 'testing-devel', '--dry-run', '--repo', r.dir]);
    expect(dry.stderr).toBe('');
    expect(dry.stdout).not.toContain('\ufffd');
  });
});

