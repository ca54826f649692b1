import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKoji, type KojiRpm, type Served } from '../../helpers/build-services';
import { startBodhiList, type BodhiStandIn } from '../../helpers/bodhi-list';
import { runCliAsync } from '../../helpers/cli';
import { createRepo, lockfileJson, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const ID = { GIT_AUTHOR_NAME: 'Ada Maintainer', GIT_AUTHOR_EMAIL: 'ada@example.org' };
const F40 = 'FEDORA-2026-40aaaaaaaa';
const F41_OLD = 'FEDORA-2026-41aaaaaaaa';
const F41_NEW = 'FEDORA-2026-41bbbbbbbb';
const F41_GONE = 'FEDORA-2026-41cccccccc';
const F42 = 'FEDORA-2026-42aaaaaaaa';
const podman = (release: string): KojiRpm[] => ['src', 'x86_64'].map((arch) => ({ name: 'podman', version: '5.2.5', release, epoch: 5, arch }));

describe("a dist-tag mismatch offers the stream's own release's update", () => {
  let repo: RepoBuilder;
  let bodhi: BodhiStandIn;
  let koji: Served;
  let env: Record<string, string>;
  beforeAll(async () => {
    bodhi = await startBodhiList(
      [
        { alias: F40, release: 40, type: 'bugfix', builds: [{ nvr: 'podman-5.2.5-1.fc40', epoch: 5 }], submitted: '2026-11-01 10:00:00' },
        // Submitted last (a rebuild of an older version): the first Bodhi lists, not the newest build.
        { alias: F41_OLD, release: 41, type: 'bugfix', builds: [{ nvr: 'podman-5.2.5-1.fc41', epoch: 5 }], submitted: '2026-11-05 12:00:00' },
        // Newer by rpm order, still in testing: the one to offer.
        { alias: F41_NEW, release: 41, type: 'enhancement', status: 'testing', builds: [{ nvr: 'podman-5.2.6-1.fc41', epoch: 5 }], submitted: '2026-11-03 10:00:00' },
        // Newest of all but obsolete: never offered (Bodhi filters it, and so does Lockstep).
        { alias: F41_GONE, release: 41, status: 'obsolete', builds: [{ nvr: 'podman-5.3.0-1.fc41', epoch: 5 }], submitted: '2026-11-04 10:00:00' },
        { alias: F42, release: 42, builds: [{ nvr: 'podman-5.4.0-1.fc42', epoch: 5 }], submitted: '2026-11-05 10:00:00' },
      ],
      [40, 41, 42],
    );
    koji = await startKoji({ 'podman-5.2.5-1.fc40': podman('1.fc40'), 'podman-5.2.6-1.fc41': podman('1.fc41').map((r) => ({ ...r, version: '5.2.6' })) });
    env = { ...ID, LOCKSTEP_DATA_DIR: makeTempDir('lockstep-data-'), LOCKSTEP_BODHI_URL: bodhi.url, LOCKSTEP_KOJI_URL: `${koji.url}/kojihub` };
    repo = createRepo();
    repo.branch('testing-devel');
    repo.commit('lockfiles: f40', { 'manifest-lock.x86_64.json': lockfileJson({ podman: { evra: '5:5.2.3-1.fc40.x86_64', sourcerpm: 'podman' } }) });
    repo.branch('next-devel', 'testing-devel');
    repo.commit('lockfiles: f41', { 'manifest-lock.x86_64.json': lockfileJson({ podman: { evra: '5:5.2.3-1.fc41.x86_64', sourcerpm: 'podman' } }) });
    repo.checkout('testing-devel');
  });
  afterAll(async () => {
    await bodhi.stop();
    await koji.stop();
    cleanupTempDirs();
  });
  const cli = (args: string[]) => runCliAsync([...args, '--repo', repo.dir], { env });
  const refs = () => repo.git('for-each-ref', '--format=%(refname) %(objectname)');

  it('names the newest testing or stable update of F41 and the command that drafts it; nothing is written', async () => {
    const before = refs();
    const r = await cli(['pin', '--update', F40, '--stream', 'testing-devel', '--stream', 'next-devel', '--dry-run']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`next-devel is on .fc41; F41's update of podman is ${F41_NEW} (podman-5.2.6-1.fc41, testing): draft that one for next-devel`);
    expect(r.stderr).toContain(`(lockstep pin --update ${F41_NEW} --stream next-devel), or pass --ignore-dist-mismatch`);
    const asked = bodhi.listQueries.at(-1)!;
    expect(asked.getAll('packages')).toEqual(['podman']);
    expect(asked.getAll('releases')).toEqual(['F41']);
    expect(asked.getAll('status').sort()).toEqual(['stable', 'testing']);
    expect(refs()).toBe(before);
    // And the offered update drafts cleanly for that stream.
    const offered = await cli(['pin', '--update', F41_NEW, '--stream', 'next-devel', '--dry-run', '--json']);
    expect(offered.status, offered.stderr).toBe(0);
    expect(JSON.parse(offered.stdout)).toMatchObject({ packages: { podman: '5:5.2.6-1.fc41' } });
  });

  it('offers the same from the cache offline', async () => {
    const r = await cli(['pin', '--update', F40, '--stream', 'next-devel', '--offline', '--dry-run']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`F41's update of podman is ${F41_NEW}`);
  });

  it('with no update for that release, says only how to force this one', async () => {
    bodhi.updates = bodhi.updates.filter((u) => u.release !== 41);
    const r = await cli(['pin', '--update', F40, '--stream', 'next-devel', '--dry-run']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/next-devel is on \.fc41; pass --ignore-dist-mismatch to draft it anyway\n$/);
  });
});
