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

  it('a save puts the returned draft in the list: one call per save, no second round trip to list them', async () => {
    const a = { branch: 'lockstep/testing/a', createdAt: '2024-01-01T00:00:00Z', conflictsWith: [] };
    backend.on('drafts:list', () => [a] as never);
    await store.getState().loadDrafts();
    backend.calls.length = 0;
    const b = { branch: 'lockstep/testing/b', createdAt: '2024-01-02T00:00:00Z', conflictsWith: ['lockstep/testing/a'] };
    backend.on('drafts:save', () => b as never);
    expect(await store.getState().saveDrafts([{ stream: 'testing' } as never])).toEqual(['lockstep/testing/b']);
    expect(backend.calls.map((c) => c.channel)).toEqual(['drafts:save']);
    expect(store.getState().drafts?.map((d) => [d.branch, d.conflictsWith])).toEqual([
      ['lockstep/testing/b', ['lockstep/testing/a']],
      ['lockstep/testing/a', ['lockstep/testing/b']],
    ]);
    // From builds: one call per group, each answering its drafts.
    backend.calls.length = 0;
    const c = { branch: 'lockstep/stable/c', createdAt: '2024-01-03T00:00:00Z', conflictsWith: [] };
    const d = { branch: 'lockstep/next/d', createdAt: '2024-01-03T00:00:00Z', conflictsWith: [] };
    backend.on('builds:save', (r) => (r.streams[0] === 'stable' ? [c] : [d]) as never);
    expect(await store.getState().saveFromBuilds([{ streams: ['stable'] } as never, { streams: ['next'] } as never])).toEqual(['lockstep/stable/c', 'lockstep/next/d']);
    expect(backend.calls.map((x) => x.channel)).toEqual(['builds:save', 'builds:save']);
    expect(store.getState().drafts?.map((x) => x.branch)).toEqual(['lockstep/next/d', 'lockstep/stable/c', 'lockstep/testing/b', 'lockstep/testing/a']);
  });

  it('a save with the list never read reads it whole once; a failed save still lists what was saved before it', async () => {
    const a = { branch: 'lockstep/testing/a', createdAt: '2024-01-01T00:00:00Z', conflictsWith: [] };
    backend.on('drafts:list', () => [a] as never);
    let n = 0;
    backend.on('drafts:save', () => {
      if (n++ === 1) throw failure('stale', 'testing moved.');
      return a as never;
    });
    expect(await store.getState().saveDrafts([{ stream: 'testing' } as never, { stream: 'testing' } as never])).toEqual(['lockstep/testing/a']);
    expect(backend.calls.map((c) => c.channel)).toEqual(['drafts:save', 'drafts:save', 'drafts:list']);
    expect(store.getState().previewError).toBe('Saved lockstep/testing/a; then: testing moved.');
    expect(store.getState().drafts?.map((d) => d.branch)).toEqual(['lockstep/testing/a']);
  });
});

