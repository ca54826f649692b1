import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RepoInfo } from '../../../../shared/api/contract';
import { failure, settle, type FakeBackend, freshStoreWithBackend, type StoreHandle } from './fake-backend';

vi.mock('../../../../renderer/api', async () => (await import('./mock-api')).mockApi());

const repo = (dir: string): RepoInfo => ({ dir, bare: false, remoteUrl: null, streams: ['testing-devel', 'stable'], demo: false });

let backend: FakeBackend;
let store: StoreHandle;

beforeEach(async () => {
  ({ backend, store } = await freshStoreWithBackend((b) => {
    b.on('streams:list', () => []);
    b.on('refs:list', () => [{ kind: 'stream', name: 'stable', oid: 'a'.repeat(40) }] as never);
    b.on('repo:recent', () => []);
  }));
});

describe('repo slice', () => {
  it('opens a repo and loads its streams and refs', async () => {
    backend.on('repo:open', (r) => repo(r.dir));
    await store.getState().openRepo('/r/one');
    await settle();
    expect(store.getState().repo?.dir).toBe('/r/one');
    expect(store.getState().streams).toEqual([]);
    expect(store.getState().refs.map((r) => r.name)).toEqual(['stable']);
    expect(store.getState().operation).toBeNull();
  });

  it('on a change of repo, every slice drops what it held of the previous one', async () => {
    backend.on('repo:open', (r) => repo(r.dir));
    await store.getState().openRepo('/r/one');
    await settle();
    const version = store.getState().dataVersion;
    store.setState({
      diff: {} as never,
      diffQuery: { from: 'a', to: 'b', overrides: true },
      lastDiffParams: { from: 'a' },
      history: {} as never,
      drafts: [],
      previews: [],
      versions: [{} as never],
      draftInfo: {} as never,
      availability: { b: { status: 'checking' } },
      resolution: { status: 'resolving', key: 'x' },
      editorStream: 'stable',
      editorFiles: { 'a.yaml': '' },
      fetchError: 'old',
      indexProgress: { operationId: 'index', phase: 'x', loaded: 0, total: 0, percent: null },
    });
    backend.on('streams:list', () => new Promise(() => undefined)); // still loading: streams stay null
    await store.getState().openRepo('/r/two');
    const s = store.getState();
    expect(s.repo?.dir).toBe('/r/two');
    expect([s.diff, s.diffQuery, s.lastDiffParams, s.history, s.drafts, s.previews, s.draftInfo, s.editorStream, s.editorFiles, s.fetchError, s.indexProgress, s.streams]).toEqual(Array(12).fill(null));
    expect(s.versions).toEqual([]);
    expect(s.availability).toEqual({});
    expect(s.resolution).toEqual({ status: 'idle' });
    expect(s.dataVersion).toBe(version + 1);
  });

  it('keeps what it loaded when the same repo is announced again', async () => {
    backend.on('repo:open', (r) => repo(r.dir));
    await store.getState().openRepo('/r/one');
    await settle();
    store.setState({ lastDiffParams: { from: 'stable' } });
    store.getState().repoChanged(repo('/r/one'));
    expect(store.getState().lastDiffParams).toEqual({ from: 'stable' });
  });

  it('shows a failed open beside the action, and a cancelled clone as cancelled', async () => {
    backend.on('repo:open', () => {
      throw failure('not-found', 'No repository at /nope.');
    });
    await store.getState().openRepo('/nope');
    expect(store.getState().welcomeError).toEqual({ action: 'open', cancelled: false, message: 'No repository at /nope.' });
    backend.on('repo:clone', () => {
      throw failure('cancelled', 'cancelled');
    });
    await store.getState().cloneRepo('https://example.invalid/x.git');
    expect(store.getState().welcomeError?.cancelled).toBe(true);
    expect(store.getState().welcomeError?.message).toMatch(/Clone cancelled/);
  });

  it('a fetch bumps the data version and reloads streams and refs', async () => {
    backend.on('repo:open', (r) => repo(r.dir));
    await store.getState().openRepo('/r/one');
    await settle();
    backend.on('repo:fetch', () => ({ updated: [] }) as never);
    const version = store.getState().dataVersion;
    const before = backend.calls.filter((c) => c.channel === 'streams:list').length;
    await store.getState().fetch();
    await settle();
    expect(store.getState().dataVersion).toBe(version + 1);
    expect(backend.calls.filter((c) => c.channel === 'streams:list').length).toBe(before + 1);
    expect(store.getState().operation).toBeNull();
  });

  it('resetRepoData forgets refs and the last fetch', () => {
    store.setState({ refs: [{} as never], fetchResult: {} as never, fetchError: 'x' });
    store.getState().resetRepoData();
    expect(store.getState().refs).toEqual([]);
    expect(store.getState().fetchResult).toBeNull();
    expect(store.getState().fetchError).toBeNull();
  });
});
