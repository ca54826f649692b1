import { applyPatch } from 'diff';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { lastLockChangeBase } from '../../../main/services/review/streams';
import { otherFilesDiff } from '../../../main/services/review/other-files';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';

const opened: ConfigRepo[] = [];
afterEach(() => {
  for (const r of opened.splice(0)) r.close();
});
const open = async (dir: string) => {
  const r = await ConfigRepo.open(dir);
  opened.push(r);
  return r;
};

const denylistOld = '# denylist\n- pattern: ext.config.shared.networking\n  tracker: https://github.com/coreos/fedora-coreos-tracker/issues/1\n';
const denylistNew = `${denylistOld}- pattern: coreos.ignition.ssh.key\n  tracker: https://github.com/coreos/fedora-coreos-tracker/issues/2\n`;

function promotionRepo() {
  const repo = createRepo();
  repo.branch('testing-devel');
  repo.commit('import', {
    'manifest-lock.x86_64.json': lockfileJson({ bash: { evra: '5.2.26-3.fc40.x86_64' } }),
    'manifest-lock.overrides.yaml': overridesYaml({}),
    'kola-denylist.yaml': denylistOld,
    'manifests/fedora-coreos.yaml': 'ref: fedora/${basearch}/coreos/testing-devel\ninclude: fedora-coreos-base.yaml\n',
    'image.yaml': 'size: 10\n',
    'overlay.d/05core/usr/lib/motd': 'hello\n',
    'logo.png': '\u0089PNG\u0000\u0001binary',
  });
  repo.branch('testing');
  repo.checkout('testing-devel');
  repo.commit('bump, denylist, manifest', {
    'manifest-lock.x86_64.json': lockfileJson({ bash: { evra: '5.2.32-1.fc40.x86_64' } }),
    'kola-denylist.yaml': denylistNew,
    'manifests/fedora-coreos.yaml': 'ref: fedora/${basearch}/coreos/testing-devel\ninclude: fedora-coreos-base.yaml\nrecommends: false\n',
    'image.yaml': null,
    'tests/kola/new-test': '#!/bin/bash\ntrue\n',
    'logo.png': '\u0089PNG\u0000\u0002binary',
  });
  return repo;
}

describe('otherFilesDiff', () => {
  it('lists the non-lock files that differ, each with a diff that turns the old text into the new', async () => {
    const repo = promotionRepo();
    const r = await otherFilesDiff(await open(repo.dir), 'testing', 'testing-devel');
    expect(r.files.map((f) => [f.path, f.status])).toEqual([
      ['image.yaml', 'removed'],
      ['kola-denylist.yaml', 'modified'],
      ['logo.png', 'modified'],
      ['manifests/fedora-coreos.yaml', 'modified'],
      ['tests/kola/new-test', 'added'],
    ]);
    const deny = r.files.find((f) => f.path === 'kola-denylist.yaml')!;
    expect(deny.diff.split('\n').slice(0, 2)).toEqual(['--- a/kola-denylist.yaml', '+++ b/kola-denylist.yaml']);
    expect([deny.added, deny.removed]).toEqual([2, 0]);
    expect(applyPatch(denylistOld, deny.diff)).toBe(denylistNew);
    expect(r.files.find((f) => f.path === 'logo.png')).toMatchObject({ binary: true, diff: '' });
    expect(r.files.find((f) => f.path === 'image.yaml')!.diff).toContain('+++ /dev/null');
    expect(r.files.find((f) => f.path === 'tests/kola/new-test')!.diff).toContain('--- /dev/null');
    expect(r.more).toBe(0);
  });

  it('is empty when only lockfiles and overrides differ, and names an unknown ref', async () => {
    const repo = createRepo();
    repo.branch('stable');
    repo.commit('import', { 'manifest-lock.x86_64.json': lockfileJson({ bash: { evra: '1-1.fc40.x86_64' } }), 'README.md': 'x\n' });
    repo.branch('testing');
    repo.commit('bump', { 'manifest-lock.x86_64.json': lockfileJson({ bash: { evra: '2-1.fc40.x86_64' } }), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    const r = await otherFilesDiff(await open(repo.dir), 'stable', 'testing');
    expect(r.files).toEqual([]);
    await expect(otherFilesDiff(await open(repo.dir), 'stable', 'nope')).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('lastLockChangeBase', () => {
  it('passes over head commits that touched no lock file', async () => {
    const repo = promotionRepo();
    const bump = repo.rev('testing-devel');
    repo.commit('docs', { 'README.md': 'docs\n' });
    repo.commit('more docs', { 'README.md': 'more docs\n' });
    const r = await open(repo.dir);
    expect(lastLockChangeBase(r, repo.rev('testing-devel'))).toBe(r.commit(bump).parents[0]);
  });

  it('is null for a root commit with lock files', async () => {
    const repo = createRepo();
    repo.branch('only');
    const root = repo.commit('import', { 'manifest-lock.x86_64.json': lockfileJson({}) });
    expect(lastLockChangeBase(await open(repo.dir), root)).toBeNull();
  });
});
