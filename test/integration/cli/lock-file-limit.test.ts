import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE_LIMIT } from '../../../shared/lockfile/files';
import { runCli } from '../../helpers/cli';
import { createRepo, lockfileJson, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs } from '../../helpers/tmp';

const ID = { GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.org' };

/** A lockfile one byte past the limit: valid JSON, padded in its metadata (git compresses it to little). */
function oversizedLockfile(): string {
  const body = JSON.parse(lockfileJson({ podman: '5:5.2.6-1.fc40.x86_64' })) as Record<string, unknown>;
  const text = JSON.stringify({ ...body, metadata: { pad: '' } });
  return text.replace('"pad":""', `"pad":"${'x'.repeat(LOCK_FILE_LIMIT + 1 - text.length)}"`);
}

describe('a lock file too big to handle', () => {
  let repo: RepoBuilder;
  let big: string;
  beforeAll(() => {
    repo = createRepo();
    repo.branch('testing-devel');
    repo.commit('a', { 'manifest-lock.x86_64.json': lockfileJson({ podman: '5:5.2.4-1.fc40.x86_64' }) });
    repo.branch('stable');
    repo.checkout('testing-devel');
    const text = oversizedLockfile();
    expect(text.length).toBe(LOCK_FILE_LIMIT + 1);
    big = repo.commit('b: an accident', { 'manifest-lock.x86_64.json': text });
    repo.commit('c', { 'manifest-lock.x86_64.json': lockfileJson({ podman: '5:5.2.5-1.fc40.x86_64' }) });
  });
  afterAll(() => cleanupTempDirs());

  it('is refused by name in a diff: exit 2, one line with the file, the commit and the limit', () => {
    const r = runCli(['diff', 'stable', big, '--json', '--repo', repo.dir]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('manifest-lock.x86_64.json');
    expect(r.stderr).toContain(big.slice(0, 12));
    expect(r.stderr).toContain('64 MiB');
  });

  it('costs the history only its own commit, reported on stderr', () => {
    for (const extra of [[], ['--no-cache']]) {
      const r = runCli(['history', 'podman', '--stream', 'testing-devel', '--json', ...extra, '--repo', repo.dir]);
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('manifest-lock.x86_64.json');
      expect(r.stderr).toContain('64 MiB');
      expect((JSON.parse(r.stdout) as { evr: string }[]).map((e) => e.evr)).toEqual(['5:5.2.5-1.fc40', '5:5.2.4-1.fc40']);
    }
  });

  it('refuses a draft on top of it and writes nothing', () => {
    const r = createRepo();
    r.branch('testing-devel');
    r.commit('a', { 'manifest-lock.x86_64.json': lockfileJson({ podman: '5:5.2.4-1.fc40.x86_64' }), 'manifest-lock.overrides.yaml': `packages:\n  # ${'x'.repeat(LOCK_FILE_LIMIT)}\n` });
    const refsBefore = execFileSync('git', ['-C', r.dir, 'for-each-ref']).toString();
    const pin = runCli(['pin', 'podman', '5:5.2.5-1.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', 'https://example.org/1', '--repo', r.dir], { env: ID });
    expect(pin.status).toBe(2);
    expect(pin.stderr).toContain('manifest-lock.overrides.yaml');
    expect(pin.stderr).toContain('64 MiB');
    expect(execFileSync('git', ['-C', r.dir, 'for-each-ref']).toString()).toBe(refsBefore);
  });
});
