import { afterAll, describe, expect, it } from 'vitest';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { readOverridesBoard } from '../../../main/services/review/overrides-board';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';
import { cleanupTempDirs } from '../../helpers/tmp';

// The board's age of an override counts from the commit that gave it its present version, read
// from the stream's first parents: not the stream's head, nor the first commit that ever named
// the package.
describe('override ages on the board', () => {
  afterAll(() => cleanupTempDirs());

  it('dates each override from the commit that wrote its present version', async () => {
    const pkgs = (kernel: string) => ({
      kernel: { evra: `${kernel}.x86_64`, sourcerpm: 'kernel' },
      podman: { evra: '5:5.2.3-1.fc40.x86_64', sourcerpm: 'podman' },
      crun: { evra: '1.16-1.fc40.x86_64', sourcerpm: 'crun' },
      'grub2-pc': { evra: '1:2.12-4.fc40.x86_64', sourcerpm: 'grub2' },
    });
    const grub = { 'grub2-pc': { evr: '1:2.12-4.fc40', type: 'pin' as const, reason: 'https://example.org/1' } };
    const podman = (evr: string) => ({ podman: { evr, type: 'fast-track' as const, bodhi: 'https://bodhi.example/u', reason: 'https://example.org/2' } });
    const crun = { crun: { evr: '1.17-1.fc40', type: 'fast-track' as const, bodhi: 'https://bodhi.example/c', reason: 'https://example.org/3' } };
    const up = createRepo();
    up.branch('stable');
    const imported = up.commit('import', { 'manifest-lock.x86_64.json': lockfileJson(pkgs('6.10.1-200.fc40')), 'manifest-lock.overrides.yaml': overridesYaml(grub) });
    up.commit('fast-track podman 5.2.4', { 'manifest-lock.overrides.yaml': overridesYaml({ ...grub, ...podman('5:5.2.4-1.fc40'), ...crun }) });
    const archFile = up.commit('kernel for aarch64 only; lockfile bump', {
      'manifest-lock.x86_64.json': lockfileJson(pkgs('6.10.2-200.fc40')),
      'manifest-lock.overrides.aarch64.yaml': overridesYaml({ kernel: { evr: '6.10.3-200.fc40', type: 'fast-track', bodhi: 'https://bodhi.example/k', reason: 'https://example.org/4' } }),
    });
    const bumped = up.commit('fast-track podman 5.2.5', { 'manifest-lock.overrides.yaml': overridesYaml({ ...grub, ...podman('5:5.2.5-1.fc40'), ...crun }) });
    up.commit('drop crun', { 'manifest-lock.overrides.yaml': overridesYaml({ ...grub, ...podman('5:5.2.5-1.fc40') }) });
    const readded = up.commit('crun again', { 'manifest-lock.overrides.yaml': overridesYaml({ ...grub, ...podman('5:5.2.5-1.fc40'), ...crun }) });
    const head = up.commit('lockfile bump', { 'manifest-lock.x86_64.json': lockfileJson(pkgs('6.10.4-200.fc40')) });

    const repo = await ConfigRepo.open(up.dir);
    try {
      const streams = (await repo.branches()).filter((b) => b.name === 'stable');
      const board = await readOverridesBoard(repo, streams);
      const added = (name: string) => board.overrides.find((o) => o.stream === 'stable' && o.name === name)?.added;
      expect(added('grub2-pc')?.commit).toBe(imported);
      expect(added('podman')?.commit).toBe(bumped);
      expect(added('crun')?.commit).toBe(readded);
      expect(added('kernel')?.commit).toBe(archFile);
      // The date is that commit's own (the builder's commits are an hour apart), not the head's.
      expect(added('podman')?.date).toBe(new Date(repo.commit(bumped).committer.timestamp * 1000).toISOString());
      expect(added('podman')?.date).not.toBe(new Date(repo.commit(head).committer.timestamp * 1000).toISOString());
      // Asked again (the board reloaded), the same answers.
      const again = await readOverridesBoard(repo, streams);
      expect(again.overrides.map((o) => o.added?.commit)).toEqual(board.overrides.map((o) => o.added?.commit));
    } finally {
      repo.close();
    }
  });
});
