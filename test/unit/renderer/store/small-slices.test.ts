import { beforeEach, describe, expect, it, vi } from 'vitest';
import { deferred, failure, type FakeBackend, freshStoreWithBackend, type StoreHandle } from './fake-backend';
import { encodeHistory } from '../../../helpers/history-answer';

vi.mock('../../../../renderer/api', async () => (await import('./mock-api')).mockApi());

let backend: FakeBackend;
let store: StoreHandle;

beforeEach(async () => {
  ({ backend, store } = await freshStoreWithBackend());
});

describe('streams slice', () => {
  it('loads the summaries, shows a failure, and resets', async () => {
    backend.on('streams:list', () => [{ name: 'stable' }] as never);
    await store.getState().loadStreams();
    expect(store.getState().streams?.map((s) => s.name)).toEqual(['stable']);
    backend.on('streams:list', () => {
      throw failure('repo', 'The repo is gone.');
    });
    await store.getState().loadStreams();
    expect(store.getState().streamsError).toBe('The repo is gone.');
    expect(store.getState().streamsLoading).toBe(false);
    store.getState().resetStreams();
    expect(store.getState().streams).toBeNull();
    expect(store.getState().streamsError).toBeNull();
  });
});

describe('history slice', () => {
  it('loads a package history, drops it on failure, and resets', async () => {
    const row = { commit: 'c1', date: '2024-01-01T00:00:00Z', subject: 's', author: 'a', changes: [{ name: 'kernel', evr: '6.1-1.fc40', arch: 'x86_64' }] };
    const history = (name: string, arch: string) => ({ name, arch, binaries: [name], source: null, lanes: [{ stream: 'stable', rows: [row] }] });
    // The answer crosses the bridge encoded; the slice holds the rows it stands for.
    backend.on('history:package', (r) => encodeHistory(history(r.name, r.arch!)));
    await store.getState().loadHistory('kernel', 'x86_64');
    expect(store.getState().history).toEqual(history('kernel', 'x86_64'));
    backend.on('history:package', () => {
      throw failure('bad-input', 'No package named x.');
    });
    await store.getState().loadHistory('x', 'x86_64');
    expect(store.getState().history).toBeNull();
    expect(store.getState().historyError).toBe('No package named x.');
    store.getState().resetHistory();
    expect(store.getState().historyError).toBeNull();
  });

  it("keeps only the last load's answer, and none once reset (the view resets it when left)", async () => {
    const slow = deferred<never>();
    const answer = (name: string) => encodeHistory({ name, arch: 'x86_64', binaries: [name], source: null, lanes: [] });
    backend.on('history:package', (r) => (r.name === 'podman' ? slow.promise : answer(r.name)));
    const stale = store.getState().loadHistory('podman', 'x86_64');
    await store.getState().loadHistory('kernel', 'x86_64');
    slow.resolve(answer('podman') as never);
    await stale;
    expect(store.getState().history?.name).toBe('kernel');
    const later = deferred<never>();
    backend.on('history:package', () => later.promise);
    const left = store.getState().loadHistory('kernel', 'x86_64');
    store.getState().resetHistory();
    expect(store.getState().historyLoading).toBe(false);
    later.resolve(answer('kernel') as never);
    await left;
    expect(store.getState().history).toBeNull();
    expect(store.getState().historyLoading).toBe(false);
  });
});

describe('history slice, one stream per call', () => {
  const row = (commit: string) => ({ commit, date: '2024-01-01T00:00:00Z', subject: commit, author: 'a', changes: [{ name: 'kernel', evr: '6.1-1.fc40', arch: 'x86_64' }] });
  const lane = (stream: string) => encodeHistory({ name: 'kernel', arch: 'x86_64', binaries: ['kernel'], source: 'kernel', lanes: [{ stream, rows: [row(`${stream}-c`)] }] });

  it('asks for the lane shown first, draws it alone, then asks for each other lane once the one before has landed', async () => {
    store.setState({ repo: { dir: '/r', bare: false, remoteUrl: null, streams: ['stable', 'testing-devel', 'next'], demo: false } });
    const asked: string[][] = [];
    const held = new Map<string, ReturnType<typeof deferred<never>>>();
    backend.on('history:package', (r) => {
      asked.push(r.streams ?? []);
      const stream = r.streams![0];
      if (stream === 'stable') return lane(stream);
      const gate = deferred<never>();
      held.set(stream, gate);
      return gate.promise;
    });
    const loading = store.getState().loadHistory('kernel', 'x86_64', 'stable');
    await vi.waitFor(() => expect(held.size).toBe(1));
    // The first call named the shown stream alone; the next waits for its answer: one call held at a
    // time, so the browser host's few connections stay free for the chart's script and other calls.
    expect(asked).toEqual([['stable'], ['testing-devel']]);
    expect(store.getState().history?.lanes.map((l) => l.stream)).toEqual(['stable']);
    expect(store.getState().historyLoading).toBe(false);
    expect(store.getState().historyIndexing).toEqual({ pending: ['testing-devel', 'next'], total: 3 });
    held.get('testing-devel')!.resolve(lane('testing-devel') as never);
    await vi.waitFor(() => expect(held.size).toBe(2));
    expect(asked).toEqual([['stable'], ['testing-devel'], ['next']]);
    expect(store.getState().history?.lanes.map((l) => l.stream)).toEqual(['stable', 'testing-devel']);
    expect(store.getState().historyIndexing).toEqual({ pending: ['next'], total: 3 });
    held.get('next')!.resolve(lane('next') as never);
    await loading;
    expect(store.getState().history?.lanes.map((l) => l.stream)).toEqual(['stable', 'testing-devel', 'next']);
    expect(store.getState().historyIndexing).toEqual({ pending: [], total: 0 });
  });

  it('once every index is built (the job at 100%), asks for the other lanes in one call', async () => {
    store.setState({ repo: { dir: '/r', bare: false, remoteUrl: null, streams: ['stable', 'testing-devel', 'next'], demo: false } });
    const asked: string[][] = [];
    const lanes = (streams: string[]) => encodeHistory({ name: 'kernel', arch: 'x86_64', binaries: ['kernel'], source: 'kernel', lanes: streams.map((stream) => ({ stream, rows: [row(`${stream}-c`)] })) });
    backend.on('history:package', (r) => {
      asked.push(r.streams ?? []);
      return lanes(r.streams!);
    });
    store.setState({ indexProgress: { operationId: 'index', phase: 'Indexing history: next', loaded: 60, total: 100, percent: 60 } });
    await store.getState().loadHistory('kernel', 'x86_64', 'stable');
    expect(asked).toEqual([['stable'], ['testing-devel'], ['next']]);
    asked.length = 0;
    store.setState({ indexProgress: { operationId: 'index', phase: 'Indexing history: next', loaded: 100, total: 100, percent: 100 } });
    await store.getState().loadHistory('kernel', 'x86_64', 'stable');
    expect(asked).toEqual([['stable'], ['testing-devel', 'next']]);
    expect(store.getState().history?.lanes.map((l) => l.stream)).toEqual(['stable', 'testing-devel', 'next']);
    expect(store.getState().historyIndexing).toEqual({ pending: [], total: 0 });
  });

  it('starts with the first stream in list order when no lane is shown yet, and a failing lane says which stream', async () => {
    store.setState({ repo: { dir: '/r', bare: false, remoteUrl: null, streams: ['stable', 'testing-devel'], demo: false } });
    const asked: string[] = [];
    backend.on('history:package', (r) => {
      asked.push(r.streams![0]);
      if (r.streams![0] === 'stable') throw failure('io', 'cannot read the index');
      return lane(r.streams![0]);
    });
    await store.getState().loadHistory('kernel', 'x86_64');
    expect(asked).toEqual(['testing-devel', 'stable']);
    expect(store.getState().history?.lanes.map((l) => l.stream)).toEqual(['testing-devel']);
    expect(store.getState().historyError).toBe('stable: cannot read the index');
  });
});

describe('builds slice', () => {
  it('resolves inputs, drops an answer for text no longer there, and resets', async () => {
    const slow = deferred<never>();
    backend.on('builds:resolve', (r) => (r.inputs[0] === 'old' ? slow.promise : ({ builds: r.inputs } as never)));
    const pending = store.getState().resolveBuilds(['old']);
    await store.getState().resolveBuilds(['FEDORA-2024-1']);
    slow.resolve({ builds: ['old'] } as never);
    await pending;
    expect(store.getState().resolution).toEqual({ status: 'resolved', key: 'FEDORA-2024-1', result: { builds: ['FEDORA-2024-1'] } });
    store.getState().resetBuilds();
    expect(store.getState().resolution).toEqual({ status: 'idle' });
  });
});

describe('settings slice', () => {
  it('hides a stream by saving the hide list, then reloads streams when a repo is open', async () => {
    backend.on('settings:get', () => ({ streams: { add: [], hide: ['rhcos-4.6'] } }) as never);
    backend.on('settings:set', (p) => ({ streams: p.streams }) as never);
    backend.on('streams:list', () => []);
    store.setState({ repo: { dir: '/r', bare: false, remoteUrl: null, streams: [], demo: false } });
    expect(await store.getState().setStreamHidden('branched', true)).toBeNull();
    expect(backend.calls.find((c) => c.channel === 'settings:set')?.req).toEqual({ streams: { add: [], hide: ['rhcos-4.6', 'branched'] } });
    expect(backend.calls.some((c) => c.channel === 'streams:list')).toBe(true);
    expect(await store.getState().setStreamHidden('rhcos-4.6', false)).toBeNull();
    expect(store.getState().settings?.streams.hide).toEqual(['branched']);
  });

  it('returns a refused save as text', async () => {
    backend.on('settings:set', () => {
      throw failure('bad-input', 'pushConcurrency must be 1 to 16.');
    });
    expect(await store.getState().saveSettings({} as never)).toBe('pushConcurrency must be 1 to 16.');
  });
});

describe('ui slice', () => {
  it('navigates through the hash, and replaces parameters in place', () => {
    store.getState().navigate('diff', { from: 'stable', to: 'testing' });
    expect(location.hash).toBe('#/diff?from=stable&to=testing');
    store.getState().setRoute({ view: 'diff', params: { from: 'stable', to: 'testing' } });
    store.getState().replaceParams({ q: 'kernel', to: undefined });
    expect(store.getState().route).toEqual({ view: 'diff', params: { from: 'stable', q: 'kernel' } });
    expect(location.hash).toBe('#/diff?from=stable&q=kernel');
  });
});

describe('credentials slice', () => {
  it('answers the open request once, closes the prompt, and keeps no secret', async () => {
    backend.on('credentials:answer', () => undefined);
    store.getState().askCredential({ requestId: 'r1', url: 'https://forge.invalid/repo.git', rejected: false } as never);
    expect(store.getState().credentialRequest?.requestId).toBe('r1');
    await store.getState().answerCredential('me', 's3cret', true);
    expect(store.getState().credentialRequest).toBeNull();
    expect(backend.calls).toEqual([{ channel: 'credentials:answer', req: { requestId: 'r1', username: 'me', password: 's3cret', remember: true } }]);
    expect(JSON.stringify(store.getState())).not.toContain('s3cret');
    await store.getState().answerCredential('me', 'again', true);
    expect(backend.calls).toHaveLength(1);
  });
});

describe('editor slice', () => {
  it('reads a stream at one commit and saves the changed files as a draft based there', async () => {
    backend.on('files:read', (r) => ({ commit: `${r.ref}-head`, files: { 'manifest-lock.overrides.yaml': 'packages: {}\n' } }));
    backend.on('drafts:saveRaw', (r) => ({ branch: `lockstep/${r.stream}/raw` }) as never);
    await store.getState().loadEditorFiles('testing-devel');
    expect(store.getState().editorFiles).toEqual({ 'manifest-lock.overrides.yaml': 'packages: {}\n' });
    expect(await store.getState().saveRawDraft({ 'manifest-lock.overrides.yaml': 'packages:\n  a: {}\n' }, 'overrides: pin a')).toBe('lockstep/testing-devel/raw');
    expect(backend.calls.at(-1)?.req).toEqual({ stream: 'testing-devel', base: 'testing-devel-head', files: { 'manifest-lock.overrides.yaml': 'packages:\n  a: {}\n' }, message: 'overrides: pin a' });
    expect(store.getState().editorSaved).toBe('lockstep/testing-devel/raw');
  });

  it('drops the files of a stream no longer asked for, and shows a refused save', async () => {
    const slow = deferred<{ commit: string; files: Record<string, string> }>();
    backend.on('files:read', (r) => (r.ref === 'stable' ? slow.promise : { commit: 'n', files: { 'next.yaml': '' } }));
    const pending = store.getState().loadEditorFiles('stable');
    await store.getState().loadEditorFiles('next');
    slow.resolve({ commit: 's', files: { 'stable.yaml': '' } });
    await pending;
    expect(store.getState().editorFiles).toEqual({ 'next.yaml': '' });
    backend.on('drafts:saveRaw', () => {
      throw failure('stale', 'next moved since you opened it: reload.');
    });
    expect(await store.getState().saveRawDraft({ 'next.yaml': 'x' }, 'm')).toBeNull();
    expect(store.getState().editorError).toBe('next moved since you opened it: reload.');
    store.getState().resetEditor();
    expect(store.getState().editorStream).toBeNull();
    expect(store.getState().editorError).toBeNull();
  });
});
