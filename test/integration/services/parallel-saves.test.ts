import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/app/backend';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

// Saves through the API at once (two windows, a double click): the same request saved three
// times is one draft (each save answers it); three requests are three drafts, none lost.
describe('parallel saves through the API', () => {
  afterAll(() => cleanupTempDirs());

  it('keeps every draft', async () => {
    process.env.GIT_AUTHOR_NAME = 'Ada';
    process.env.GIT_AUTHOR_EMAIL = 'ada@example.org';
    const up = createRepo();
    up.branch('testing-devel');
    up.commit('import', { 'manifest-lock.x86_64.json': lockfileJson({ kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' } }), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    const bare = up.bareClone(path.join(makeTempDir(), 'c.git'));
    const backend = createBackend({ host: 'browser', emit: () => undefined, dataDir: makeTempDir(), initialRepo: bare });
    await backend.start();
    const req = (n: number) => ({ stream: 'testing-devel', action: 'pin' as const, requests: [{ name: 'kernel', evr: '6.10.2-200.fc40' }], reason: `https://example.org/${n}` });
    const same = await Promise.all([0, 1, 2].map(() => backend.handlers['drafts:save'](req(1))));
    expect(new Set(same.map((r) => r.branch))).toEqual(new Set(['lockstep/testing-devel/kernel-6.10.2-200.fc40']));
    expect(new Set(same.map((r) => r.head)).size).toBe(1);
    const saved = await Promise.all([2, 3].map((n) => backend.handlers['drafts:save'](req(n))));
    const names = [same[0].branch, ...saved.map((r) => r.branch)].sort();
    expect(names).toEqual(['lockstep/testing-devel/kernel-6.10.2-200.fc40', 'lockstep/testing-devel/kernel-6.10.2-200.fc40-2', 'lockstep/testing-devel/kernel-6.10.2-200.fc40-3']);
    const listed = await backend.handlers['drafts:list']();
    expect(listed.map((d) => d.branch).sort()).toEqual(names);
    // Each save answers the draft as the list shows it (so the UI needs no second round trip):
    // the last one, saved after the other two, conflicts with both, as the list says.
    const last = saved.find((r) => r.conflictsWith.length === 2) ?? saved[1];
    expect(last).toEqual(listed.find((d) => d.branch === last.branch));
    expect([last.stale, last.allowed.length > 0]).toEqual([false, true]);
    // A save carrying the base its preview was read at is refused once the stream moved.
    await expect(backend.handlers['drafts:save']({ ...req(4), base: '0'.repeat(40) })).rejects.toMatchObject({ code: 'stale', message: expect.stringMatching(/moved to [0-9a-f]{12} since the preview.*nothing was saved/) });
    expect((await backend.handlers['drafts:list']()).length).toBe(3);
    backend.dispose();
  });

  it('answers a malformed request with a bad-input error naming the field', async () => {
    const backend = createBackend({ host: 'browser', emit: () => undefined, dataDir: makeTempDir() });
    await expect(backend.handlers['repo:open']({ dir: 42 as unknown as string })).rejects.toMatchObject({ code: 'bad-input', data: { field: 'dir' } });
    await expect(backend.handlers['diff:refs']({ from: '', to: 'x' })).rejects.toMatchObject({ code: 'bad-input' });
    backend.dispose();
  });
});
