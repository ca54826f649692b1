import { beforeEach, describe, expect, it, vi } from 'vitest';
import { deferred, failure, type FakeBackend, freshStoreWithBackend, type StoreHandle } from './fake-backend';

vi.mock('../../../../renderer/api', async () => (await import('./mock-api')).mockApi());

let backend: FakeBackend;
let store: StoreHandle;

beforeEach(async () => {
  ({ backend, store } = await freshStoreWithBackend());
});

describe('drafts slice', () => {
  it('previews one request per stream, each refusal its own, and keeps only the latest previews', async () => {
    const slow = deferred<never>();
    backend.on('drafts:preview', (r) => {
      if (r.stream === 'slow') return slow.promise;
      if (r.stream === 'stable') throw failure('bad-input', 'stable has no lockfile for s390x.');
      return { stream: r.stream } as never;
    });
    const stale = store.getState().previewDrafts([{ stream: 'slow' } as never]);
    await store.getState().previewDrafts([{ stream: 'testing-devel' } as never, { stream: 'stable' } as never]);
    slow.resolve({} as never);
    await stale;
    const previews = store.getState().previews ?? [];
    expect(previews.map((p) => [p.stream, p.error])).toEqual([
      ['testing-devel', null],
      ['stable', 'stable has no lockfile for s390x.'],
    ]);
    expect(store.getState().previewing).toBe(false);
  });

  it('a push records the branch as pushed here, taken once', async () => {
    backend.on('drafts:push', () => undefined);
    backend.on('drafts:list', () => []);
    expect(await store.getState().pushDraft('lockstep/x')).toBeNull();
    expect(store.getState().takePushedHere('lockstep/x')).toBe(true);
    expect(store.getState().takePushedHere('lockstep/x')).toBe(false);
  });

  it('resetDrafts drops the previous repo\'s drafts, previews, info and availability', async () => {
    backend.on('drafts:list', () => [{ branch: 'lockstep/a' }] as never);
    await store.getState().loadDrafts();
    store.setState({ previews: [], versions: [{} as never], availability: { 'lockstep/a': { status: 'checking' } }, draftInfo: {} as never });
    store.getState().resetDrafts();
    const s = store.getState();
    expect([s.drafts, s.previews, s.draftInfo]).toEqual([null, null, null]);
    expect(s.versions).toEqual([]);
    expect(s.availability).toEqual({});
  });
});
