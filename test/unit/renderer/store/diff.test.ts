import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DiffResult } from '../../../../shared/api/types';
import { deferred, failure, settle, type FakeBackend, freshStoreWithBackend, type StoreHandle } from './fake-backend';

vi.mock('../../../../renderer/api', async () => (await import('./mock-api')).mockApi());

const side = (input: string) => ({ input, ref: `refs/remotes/origin/${input}`, commit: `${input}-sha`.padEnd(40, '0'), date: '2024-10-17T00:00:00Z', subject: input });
const result = (from: string, to: string): DiffResult => ({ from: side(from), to: side(to), overrides: true, arches: [] }) as unknown as DiffResult;

let backend: FakeBackend;
let store: StoreHandle;

beforeEach(async () => {
  ({ backend, store } = await freshStoreWithBackend());
});

describe('diff slice', () => {
  it('loads a diff and records the query it answers', async () => {
    backend.on('diff:refs', (r) => result(r.from, r.to));
    await store.getState().loadDiff({ from: 'stable', to: 'testing-devel', overrides: true });
    expect(store.getState().diff?.from.input).toBe('stable');
    expect(store.getState().diffQuery).toEqual({ from: 'stable', to: 'testing-devel', overrides: true });
    expect(store.getState().diffLoading).toBe(false);
  });

  it('keeps only the latest answer when two loads overlap', async () => {
    const slow = deferred<DiffResult>();
    backend.on('diff:refs', (r) => (r.to === 'next' ? slow.promise : result(r.from, r.to)));
    const first = store.getState().loadDiff({ from: 'stable', to: 'next', overrides: true });
    await store.getState().loadDiff({ from: 'stable', to: 'testing', overrides: true });
    slow.resolve(result('stable', 'next'));
    await first;
    expect(store.getState().diff?.to.input).toBe('testing');
  });

  it('shows a failure as text and drops the previous diff', async () => {
    backend.on('diff:refs', (r) => result(r.from, r.to));
    await store.getState().loadDiff({ from: 'stable', to: 'testing', overrides: true });
    backend.on('diff:refs', () => {
      throw failure('not-found', 'No ref named nope: fetch, or check the name.');
    });
    await store.getState().loadDiff({ from: 'stable', to: 'nope', overrides: true });
    expect(store.getState().diff).toBeNull();
    expect(store.getState().diffError).toBe('No ref named nope: fetch, or check the name.');
  });

  it('copies Markdown to the clipboard, or offers the text when the clipboard is refused', async () => {
    backend.on('diff:refs', (r) => result(r.from, r.to));
    backend.on('diff:markdown', () => '| package | from | to |');
    await store.getState().loadDiff({ from: 'stable', to: 'testing', overrides: true });
    const written: string[] = [];
    vi.stubGlobal('navigator', { clipboard: { writeText: async (t: string) => void written.push(t) } });
    await store.getState().copyMarkdown(['x86_64']);
    expect(written).toEqual(['| package | from | to |']);
    expect(store.getState().exportNotice).toEqual({ kind: 'copied', what: 'Markdown' });
    expect(backend.calls.at(-1)).toEqual({ channel: 'diff:markdown', req: { from: 'stable', to: 'testing', overrides: true, arches: ['x86_64'] } });
    vi.stubGlobal('navigator', { clipboard: { writeText: async () => Promise.reject(new Error('denied')) } });
    await store.getState().copyMarkdown();
    expect(store.getState().exportNotice).toEqual({ kind: 'fallback', text: '| package | from | to |' });
  });

  it('remembers the last parameters, and resetDiff forgets the diff and ignores an answer still on its way', async () => {
    store.getState().rememberDiffParams({ from: 'stable', to: 'testing' });
    const slow = deferred<DiffResult>();
    backend.on('diff:refs', () => slow.promise);
    const pending = store.getState().loadDiff({ from: 'stable', to: 'testing', overrides: true });
    store.getState().resetDiff();
    slow.resolve(result('stable', 'testing'));
    await pending;
    expect(store.getState().diff).toBeNull();
    expect(store.getState().diffQuery).toBeNull();
    expect(store.getState().lastDiffParams).toBeNull();
    expect(store.getState().diffLoading).toBe(false);
    await settle();
  });
});
