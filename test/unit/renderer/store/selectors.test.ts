/**
 * Components read the store through named selectors: one selectors file per slice
 * (renderer/store/selectors/<slice>.ts), no inline `useStore((s) => …)` in a screen, and the
 * selectors that compute something answer from a real store's state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { freshStoreWithBackend, type StoreHandle } from './fake-backend';
import { draftsSelectors } from '../../../../renderer/store/selectors/drafts';
import { editorSelectors } from '../../../../renderer/store/selectors/editor';
import { promotionSelectors } from '../../../../renderer/store/selectors/promotion';
import { repoSelectors } from '../../../../renderer/store/selectors/repo';

vi.mock('../../../../renderer/api', async () => (await import('./mock-api')).mockApi());

const RENDERER = path.resolve(__dirname, '../../../../renderer');
// The history slice and screen are another session's work in progress (issue 20 leaves them to it).
const NOT_YET = ['history'];

let store: StoreHandle;
beforeEach(async () => {
  ({ store } = await freshStoreWithBackend());
});

describe('store selectors', () => {
  it('has a selectors file for every slice, each selecting every field of its slice', () => {
    const slices = fs.readdirSync(path.join(RENDERER, 'store')).filter((f) => f.endsWith('.ts') && /export const create\w+Slice/.test(fs.readFileSync(path.join(RENDERER, 'store', f), 'utf8')));
    expect(slices.length).toBeGreaterThan(10);
    for (const f of slices.filter((s) => !NOT_YET.includes(s.replace(/\.ts$/, '')))) {
      const selectors = path.join(RENDERER, 'store', 'selectors', f);
      expect(fs.existsSync(selectors), `renderer/store/selectors/${f}`).toBe(true);
      const slice = fs.readFileSync(path.join(RENDERER, 'store', f), 'utf8');
      const fields = [...(/export interface \w+Slice \{([\s\S]*?)\n\}/.exec(slice)?.[1] ?? '').matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]);
      const text = fs.readFileSync(selectors, 'utf8');
      for (const field of fields) expect(text, `${f}: ${field}`).toContain(`  ${field}: (s: Store) => s.${field},`);
    }
  });

  it('no screen or component selects inline: they read through named selectors (useStore(x) or usePick)', () => {
    const files = (fs.readdirSync(RENDERER, { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f) && !f.startsWith('store') && !NOT_YET.some((n) => f.includes(n)) && !f.includes('timeline-chart'));
    const inline = files.filter((f) => /useStore\(\s*(\(|useShallow)/.test(fs.readFileSync(path.join(RENDERER, f), 'utf8')));
    expect(inline).toEqual([]);
  });

  it('the computed selectors answer from the state', () => {
    const s = () => store.getState();
    expect(draftsSelectors.versionsLoading(s())).toBe(false);
    store.setState({ versionsStatus: 'loading' });
    expect(draftsSelectors.versionsLoading(s())).toBe(true);
    store.setState({ conflicted: new Set(['lockstep/a']) });
    expect([draftsSelectors.isConflicted('lockstep/a')(s()), draftsSelectors.isConflicted('lockstep/b')(s())]).toEqual([true, false]);
    expect(repoSelectors.indexing(s())).toBe(false);
    store.setState({ indexProgress: { loaded: 1, total: 2 } as never });
    expect(repoSelectors.indexing(s())).toBe(true);
    store.setState({ editorStream: 'testing', editorFiles: [] as never });
    expect([editorSelectors.filesOf('testing')(s()), editorSelectors.filesOf('stable')(s())]).toEqual([[], null]);
    store.setState({ promotionNotice: { kind: 'drafting', target: 'testing' } as never });
    expect([promotionSelectors.draftingTo('testing')(s()), promotionSelectors.draftingTo('stable')(s())]).toEqual([true, false]);
  });
});
