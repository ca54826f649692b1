/**
 * Graduation over every stream (main/services/fedora/graduation.ts) on a synthetic repo, against
 * generated rpm-md metadata served locally (the build-pool stand-in): one answer per stream,
 * one removal draft per stream with graduated fast-tracks, and no second draft on a repeat.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { DraftStore } from '../../../main/services/drafts/store';
import { draftAllGraduations, graduationAll } from '../../../main/services/fedora/graduation';
import { startRpmMd, type Served } from '../../helpers/build-services';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const BODHI = 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638';
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';
const lock = (podman: string, crun: string) =>
  lockfileJson({
    podman: { evra: `5:${podman}.x86_64`, sourcerpm: 'podman' },
    crun: { evra: `${crun}.x86_64`, sourcerpm: 'crun' },
    ignition: { evra: '2.19.0-1.fc40.x86_64', sourcerpm: 'ignition' },
    kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' },
  });

describe('graduation over every stream', () => {
  let rpmmd: Served;
  let gitdir: string;
  let urls: string[];
  const STREAMS = ['testing-devel', 'testing', 'stable'];

  beforeAll(async () => {
    process.env.GIT_AUTHOR_NAME ??= 'Ada Maintainer';
    process.env.GIT_AUTHOR_EMAIL ??= 'ada@example.org';
    // The stable update repos carry podman 5.2.6 and crun 1.17; ignition stays at 2.19.
    rpmmd = await startRpmMd({ x86_64: ['podman-5:5.2.6-1.fc40.x86_64', 'crun-1.17-1.fc40.x86_64', 'ignition-2.19.0-1.fc40.x86_64'] });
    urls = [`${rpmmd.url}/$basearch/`];
    const up = createRepo();
    up.branch('testing-devel');
    up.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lock('5.2.5-1.fc40', '1.16-1.fc40'),
      'manifest-lock.overrides.yaml': overridesYaml({
        podman: { evr: '5:5.2.5-1.fc40', type: 'fast-track', bodhi: BODHI },
        ignition: { evr: '2.20.0-1.fc40', type: 'fast-track', bodhi: BODHI },
        kernel: { evr: '6.10.1-200.fc40', type: 'pin', reason: REASON },
      }),
    });
    up.branch('testing');
    up.commit('overrides: fast-track crun', {
      'manifest-lock.overrides.yaml': overridesYaml({
        podman: { evr: '5:5.2.5-1.fc40', type: 'fast-track', bodhi: BODHI },
        crun: { evr: '1.17-1.fc40', type: 'fast-track', bodhi: BODHI },
      }),
    });
    up.checkout('testing-devel');
    up.branch('stable');
    up.commit('overrides: only a pin', { 'manifest-lock.overrides.yaml': overridesYaml({ kernel: { evr: '6.10.1-200.fc40', type: 'pin', reason: REASON } }) });
    gitdir = up.bareClone(path.join(makeTempDir(), 'config.git'));
  });
  afterAll(async () => {
    await rpmmd?.stop();
    cleanupTempDirs();
  });

  it('answers every stream at once, then drafts one removal per stream with graduated fast-tracks, and none twice', async () => {
    const repo = await ConfigRepo.open(gitdir);
    try {
      const all = await graduationAll(repo, STREAMS, { urls });
      expect(all.map((g) => g.stream)).toEqual(STREAMS);
      const status = (stream: string) => Object.fromEntries(all.find((g) => g.stream === stream)!.rows.map((r) => [r.name, r.status]));
      expect(status('testing-devel')).toEqual({ ignition: 'not-yet', podman: 'graduated' });
      expect(status('testing')).toEqual({ crun: 'graduated', podman: 'graduated' });
      expect(status('stable')).toEqual({});
      expect(all.every((g) => g.online || g.rows.length === 0)).toBe(true);
      expect(all.every((g) => g.drafts.length === 0)).toBe(true);

      const drafted = await draftAllGraduations(repo, STREAMS, { urls });
      expect(drafted.map((d) => [d.stream, d.removed, d.skipped])).toEqual([
        ['testing-devel', 1, null],
        ['testing', 2, null],
        ['stable', 0, 'nothing graduated'],
      ]);
      // Each draft is the bot's commit on its own stream, removing exactly the graduated ones.
      const store = new DraftStore(repo);
      for (const d of drafted.filter((x) => x.branch)) {
        const rec = await store.get(d.branch!);
        expect(rec.stream).toBe(d.stream);
        expect(rec.type).toBe('graduate');
        expect(rec.message.split('\n')[0]).toBe('lockfiles: drop graduated overrides 🎓');
        const text = repo.store.read(repo.lockFileOids(rec.head)['manifest-lock.overrides.yaml']).data.toString('utf8');
        expect(text).not.toMatch(/^ {2}podman:/m);
        expect(text).not.toMatch(/^ {2}crun:/m);
        if (d.stream === 'testing-devel') expect(text).toMatch(/^ {2}ignition:/m);
      }

      // The list now names each stream's removal draft, offline from the cache; a repeat drafts nothing.
      const again = await graduationAll(repo, STREAMS, { urls, offline: true });
      expect(again.find((g) => g.stream === 'testing-devel')!.drafts).toEqual([drafted[0].branch]);
      expect(again.find((g) => g.stream === 'testing')!.drafts).toEqual([drafted[1].branch]);
      expect(again.find((g) => g.stream === 'testing')!.online).toBe(false);
      expect(again.find((g) => g.stream === 'testing')!.rows.every((r) => r.status === 'graduated')).toBe(true);
      const repeat = await draftAllGraduations(repo, STREAMS, { urls });
      expect(repeat.every((d) => d.branch === null)).toBe(true);
      expect(repeat[0].skipped).toMatch(/a removal draft exists/);
      expect((await store.list()).filter((d) => d.type === 'graduate')).toHaveLength(2);
    } finally {
      repo.close();
    }
  });

  it('reports a stream it cannot read beside the others instead of failing them all', async () => {
    const repo = await ConfigRepo.open(gitdir);
    try {
      const all = await graduationAll(repo, ['testing', 'no-such-stream'], { urls, offline: true });
      expect(all[0].rows.length).toBe(2);
      expect(all[1].error).toMatch(/unknown stream "no-such-stream"/);
    } finally {
      repo.close();
    }
  });
});
