import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { DraftStore } from '../../../main/services/drafts/store';
import { createRepo, lockfileJson, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

// A raw edit records the commit its text was read at: saved after the stream moved, it is a
// stale draft (never a silent undo of upstream edits), and its rebase is a three-way merge.
const OVERRIDES = (a: string, b: string) => `# header\npackages:\n  kernel:\n    evr: ${a}\n    metadata:\n      type: pin\n      reason: https://example.org/1\n  podman:\n    evr: ${b}\n    metadata:\n      type: pin\n      reason: https://example.org/2\n`;

describe('raw edits: base, staleness and a three-way rebase', () => {
  let up: RepoBuilder;
  let bare: string;
  let first: string;
  beforeAll(() => {
    process.env.GIT_AUTHOR_NAME = 'Ada';
    process.env.GIT_AUTHOR_EMAIL = 'ada@example.org';
    up = createRepo();
    up.branch('testing-devel');
    first = up.commit('import', {
      'manifest-lock.x86_64.json': lockfileJson({ kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' }, podman: { evra: '5:5.2.3-1.fc40.x86_64', sourcerpm: 'podman' } }),
      'manifest-lock.overrides.yaml': OVERRIDES('6.10.1-200.fc40', '5:5.2.3-1.fc40'),
    });
    bare = up.bareClone(path.join(makeTempDir(), 'c.git'));
  });
  afterAll(() => cleanupTempDirs());

  it('is stale when saved on an older base, rebases cleanly when upstream edited other lines, and stops on overlapping edits', async () => {
    // Upstream moves: podman's line changes.
    up.commit('overrides: pin podman 5.2.4', { 'manifest-lock.overrides.yaml': OVERRIDES('6.10.1-200.fc40', '5:5.2.4-1.fc40') });
    up.git('push', '-q', bare, 'testing-devel');
    const repo = await ConfigRepo.open(bare);
    const store = new DraftStore(repo);
    // The editor read the file at `first`, before the move, and changes kernel's line.
    const edited = OVERRIDES('6.10.2-200.fc40', '5:5.2.3-1.fc40');
    const rec = await store.saveRaw({ stream: 'testing-devel', base: first, files: { 'manifest-lock.overrides.yaml': edited }, message: 'overrides: pin kernel 6.10.2' });
    expect(rec.base).toBe(first);
    expect((await store.get(rec.branch)).stale).toBe(true);

    const r = await store.rebase(rec.branch);
    expect(r.status).toBe('rebased');
    const head = r.draft.head;
    const text = repo.store.read(repo.lockFileOids(head)['manifest-lock.overrides.yaml']).data.toString('utf8');
    // Both edits: ours (kernel) and upstream's (podman).
    expect(text).toBe(OVERRIDES('6.10.2-200.fc40', '5:5.2.4-1.fc40'));

    // An overlapping edit upstream: a conflict, and the draft is left as it was.
    up.commit('overrides: pin kernel 6.10.3', { 'manifest-lock.overrides.yaml': OVERRIDES('6.10.3-200.fc40', '5:5.2.4-1.fc40') });
    up.git('push', '-q', bare, 'testing-devel');
    await repo.refresh();
    const c = await store.rebase(rec.branch);
    expect(c.status).toBe('conflict');
    expect(c.conflicts).toEqual(['manifest-lock.overrides.yaml']);
    expect((await store.get(rec.branch)).head).toBe(head);
    repo.close();
  });
});
