import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const ID = { GIT_AUTHOR_NAME: 'Ada Maintainer', GIT_AUTHOR_EMAIL: 'ada@example.org' };
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';
const BODHI = 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638';

const lock = (podman: string, kernel: string) => ({
  'manifest-lock.x86_64.json': lockfileJson({ podman: { evra: `5:${podman}.x86_64`, sourcerpm: 'podman' }, kernel: { evra: `${kernel}.x86_64`, sourcerpm: 'kernel' } }),
});

describe('lockstep rebase', () => {
  let upstream: RepoBuilder;
  let clone: string;
  const cli = (...args: string[]) => runCli([...args, '--repo', clone], { env: ID });
  const json = <T>(...args: string[]) => JSON.parse(cli(...args, '--json').stdout) as T;
  const moveUpstream = (message: string, files: Record<string, string>) => {
    upstream.checkout('testing-devel');
    upstream.commit(message, files);
    execFileSync('git', ['-C', clone, 'fetch', '-q', 'origin']);
  };

  beforeAll(() => {
    upstream = createRepo();
    upstream.branch('testing-devel');
    upstream.commit('lockfiles: import', { ...lock('5.2.3-1.fc40', '6.10.1-200.fc40'), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    clone = path.join(makeTempDir(), 'clone');
    execFileSync('git', ['clone', '-q', upstream.dir, clone]);
  });
  afterAll(() => cleanupTempDirs());

  it('re-applies a stale draft on the new head and clears the stale mark', () => {
    const branch = cli('pin', 'kernel', '6.10.0-200.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON).stdout.trim();
    moveUpstream('docs', { 'README.md': 'x\n' });
    expect(json<{ branch: string; stale: boolean }[]>('drafts').find((d) => d.branch === branch)?.stale).toBe(true);
    const r = json<{ status: string; base: string }>('rebase', branch);
    expect(r.status).toBe('rebased');
    expect(r.base).toBe(upstream.rev('testing-devel'));
    expect(json<{ branch: string; stale: boolean }[]>('drafts').find((d) => d.branch === branch)?.stale).toBe(false);
    expect(execFileSync('git', ['-C', clone, 'show', `${branch}:manifest-lock.overrides.yaml`]).toString()).toContain('evr: 6.10.0-200.fc40');
    expect(execFileSync('git', ['-C', clone, 'rev-parse', `${branch}^`]).toString().trim()).toBe(upstream.rev('testing-devel'));
    expect(json<{ status: string }>('rebase', branch).status).toBe('up-to-date');
    cli('discard', branch);
  });

  it('finds a fast-track redundant once the base lockfile has its version', () => {
    const branch = cli('pin', 'podman', '5:5.2.5-1.fc40', '--stream', 'testing-devel', '--type', 'fast-track', '--bodhi', BODHI, '--reason', REASON).stdout.trim();
    moveUpstream('lockfiles: bump to latest', lock('5.2.6-1.fc40', '6.10.1-200.fc40'));
    const r = json<{ status: string; redundant: string[] }>('rebase', branch);
    expect(r.status).toBe('redundant');
    expect(r.redundant).toEqual(['podman 5:5.2.5-1.fc40']);
    cli('discard', branch);
  });

  it('never finds a pin redundant, and stops on a package someone else overrode since', () => {
    const branch = cli('pin', 'kernel', '6.10.0-200.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON).stdout.trim();
    moveUpstream('overrides: pin kernel-6.9.9-200.fc40', { 'manifest-lock.overrides.yaml': overridesYaml({ kernel: { evr: '6.9.9-200.fc40', type: 'pin', reason: REASON } }) });
    const before = execFileSync('git', ['-C', clone, 'rev-parse', branch]).toString();
    const r = cli('rebase', branch);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/kernel was overridden on testing-devel since this draft was based/);
    expect(execFileSync('git', ['-C', clone, 'rev-parse', branch]).toString()).toBe(before);
  });
});
