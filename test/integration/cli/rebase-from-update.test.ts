/**
 * Issue 14: a rebase of a draft made from an update places the build's binaries again on the
 * new base (from the cached Koji answers: Bodhi and Koji are gone by then), instead of
 * re-applying the binaries recorded against the old base: an arch or a binary locked since is
 * covered, and a base that carries the build already makes the fast-track redundant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBodhi, startKoji, type KojiRpm, type Served } from '../../helpers/build-services';
import { runCliAsync } from '../../helpers/cli';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const UPDATE = 'FEDORA-2024-7e7e7e7e7e';
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1809';
const rpm = (name: string, arch: string): KojiRpm => ({ name, version: '5.2.5', release: '1.fc40', epoch: 5, arch });
// podman on three arches, podman-remote on two, a noarch binary no lockfile lists.
const PODMAN = [rpm('podman', 'src'), ...['x86_64', 'aarch64', 'ppc64le'].map((a) => rpm('podman', a)), ...['x86_64', 'ppc64le'].map((a) => rpm('podman-remote', a)), rpm('podman-docker', 'noarch')];

const lock = (arch: string, names: string[], v = '5.2.3') =>
  lockfileJson(Object.fromEntries([...names.map((n) => [n, { evra: `5:${v}-1.fc40.${arch}`, sourcerpm: 'podman' }]), ['bash', { evra: `5.2.26-3.fc40.${arch}`, sourcerpm: 'bash' }]]));

type DiffJson = Record<string, Record<'added' | 'removed' | 'upgraded' | 'downgraded' | 'arch_changed', Record<string, [string, string]>>>;

describe('rebase of a draft made from an update', () => {
  let repo: RepoBuilder;
  let bodhi: Served;
  let koji: Served;
  let env: Record<string, string>;

  beforeAll(async () => {
    bodhi = await startBodhi([{ alias: UPDATE, builds: ['podman-5.2.5-1.fc40'] }]);
    koji = await startKoji({ 'podman-5.2.5-1.fc40': PODMAN });
    env = { GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.org', LOCKSTEP_DATA_DIR: makeTempDir('lockstep-data-'), LOCKSTEP_BODHI_URL: bodhi.url, LOCKSTEP_KOJI_URL: `${koji.url}/kojihub` };
    repo = createRepo();
    repo.branch('testing-devel');
    repo.commit('lockfiles: import', { 'manifest-lock.x86_64.json': lock('x86_64', ['podman']), 'manifest-lock.aarch64.json': lock('aarch64', ['podman']), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    repo.branch('next-devel', 'testing-devel');
    repo.checkout('testing-devel');
  });
  afterAll(async () => {
    await bodhi.stop().catch(() => undefined);
    await koji.stop().catch(() => undefined);
    cleanupTempDirs();
  });

  const cli = (args: string[]) => runCliAsync([...args, '--repo', repo.dir], { env });
  async function effect(from: string, to: string): Promise<Record<string, Record<string, string>>> {
    const r = await cli(['diff', from, to, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out: Record<string, Record<string, string>> = {};
    for (const [arch, kinds] of Object.entries(JSON.parse(r.stdout) as DiffJson)) {
      expect(kinds.added, arch).toEqual({});
      expect(kinds.removed, arch).toEqual({});
      const up = Object.fromEntries(Object.entries(kinds.upgraded).map(([n, v]) => [n, v[1]]));
      if (Object.keys(up).length) out[arch] = up;
    }
    return out;
  }

  it('re-resolves the build on the new base, offline from the cache: an arch and a binary locked since get theirs', async () => {
    const made = await cli(['pin', '--update', UPDATE, '--stream', 'testing-devel', '--stream', 'next-devel', '--reason', REASON]);
    expect(made.status, made.stderr).toBe(0);
    const [td, nd] = made.stdout.trim().split('\n');
    expect(await effect('testing-devel', td)).toEqual({ x86_64: { podman: '5:5.2.5-1.fc40' }, aarch64: { podman: '5:5.2.5-1.fc40' } });

    // testing-devel moves on: ppc64le gets a lockfile, x86_64 and ppc64le lock podman-remote.
    repo.commit('lockfiles: add ppc64le, podman-remote', { 'manifest-lock.x86_64.json': lock('x86_64', ['podman', 'podman-remote']), 'manifest-lock.ppc64le.json': lock('ppc64le', ['podman', 'podman-remote']) });
    // next-devel moves to the build itself: the fast-track there is redundant now.
    repo.checkout('next-devel');
    repo.commit('lockfiles: bump podman', { 'manifest-lock.x86_64.json': lock('x86_64', ['podman'], '5.2.5'), 'manifest-lock.aarch64.json': lock('aarch64', ['podman'], '5.2.5') });
    repo.checkout('testing-devel');

    // Bodhi and Koji are gone: the cached answers serve the rebase.
    await bodhi.stop();
    await koji.stop();
    const r = await cli(['rebase', td, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe('rebased');
    expect(await effect('testing-devel', td)).toEqual({
      x86_64: { podman: '5:5.2.5-1.fc40', 'podman-remote': '5:5.2.5-1.fc40' },
      aarch64: { podman: '5:5.2.5-1.fc40' },
      ppc64le: { podman: '5:5.2.5-1.fc40', 'podman-remote': '5:5.2.5-1.fc40' },
    });
    expect(repo.git('log', '-1', '--format=%s', td)).toBe('overrides: fast-track podman-5.2.5-1.fc40');

    const red = await cli(['rebase', nd, '--json']);
    expect(red.status, red.stderr).toBe(0);
    expect(JSON.parse(red.stdout)).toMatchObject({ status: 'redundant', redundant: ['podman-5.2.5-1.fc40'] });
  }, 60_000);
});
