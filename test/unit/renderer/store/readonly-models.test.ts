/**
 * The store keeps the back end's answers as received, readonly all the way down: views select
 * and memoize by identity, so a component changing an answer in place would show stale data
 * without re-rendering. The `@ts-expect-error` lines are the check that matters: `npm run
 * typecheck` fails the day any of these writes compiles again.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamSummary } from '../../../../shared/api/types';
import { type FakeBackend, freshStoreWithBackend, type StoreHandle } from './fake-backend';

vi.mock('../../../../renderer/api', async () => (await import('./mock-api')).mockApi());

const summary = (name: string): StreamSummary => ({
  name,
  ref: `refs/remotes/origin/${name}`,
  head: 'a'.repeat(40),
  date: '2024-10-17T00:00:00Z',
  subject: 'lockfiles: bump',
  arches: { x86_64: 500 },
  overrides: { pin: 1, 'fast-track': 0, other: 0 },
  source: null,
  behind: null,
  lastLockChange: null,
});

let backend: FakeBackend;
let store: StoreHandle;

beforeEach(async () => {
  ({ backend, store } = await freshStoreWithBackend());
});

describe('answers in the store', () => {
  it('are the objects the back end sent, and cannot be written through the store', async () => {
    const answer = [summary('stable'), summary('testing-devel')];
    backend.on('streams:list', () => answer);
    await store.getState().loadStreams();
    const streams = store.getState().streams!;
    expect(streams).toBe(answer);

    const writes = () => {
      // @ts-expect-error an answer's array is readonly
      streams.push(summary('next'));
      // @ts-expect-error so is each element
      streams[0].name = 'renamed';
      // @ts-expect-error and what is nested in it
      streams[0].arches.x86_64 = 1;
      // @ts-expect-error and nested objects' fields
      streams[0].overrides.pin = 2;
    };
    // Never run: the writes above exist for the typechecker only.
    expect(typeof writes).toBe('function');
    expect(streams.map((s) => s.name)).toEqual(['stable', 'testing-devel']);
  });

  it('cover every slice that holds one: diff, history, drafts, settings', async () => {
    const diffWrite = () => {
      const d = store.getState().diff!;
      // @ts-expect-error
      d.arches[0].changes.pop();
    };
    const historyWrite = () => {
      const h = store.getState().history!;
      // @ts-expect-error
      h.lanes[0].rows.length = 0;
    };
    const draftsWrite = () => {
      const ds = store.getState().drafts!;
      // @ts-expect-error
      ds[0].packages.kernel = '6.0';
    };
    const settingsWrite = () => {
      const s = store.getState().settings!;
      // @ts-expect-error
      s.streams.hide.push('next');
    };
    expect([diffWrite, historyWrite, draftsWrite, settingsWrite].every((f) => typeof f === 'function')).toBe(true);
  });
});
