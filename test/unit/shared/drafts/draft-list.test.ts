import { describe, expect, it } from 'vitest';
import type { DraftView } from '../../../../shared/api/types';
import { compareDrafts, withSavedDrafts } from '../../../../shared/drafts/draft-list';

const draft = (branch: string, createdAt: string, conflictsWith: string[] = []) => ({ branch, createdAt, conflictsWith }) as unknown as DraftView;

describe('the drafts list after a save', () => {
  it('orders newest first, then by branch', () => {
    const list = [draft('b', '2024-01-01'), draft('a', '2024-01-01'), draft('c', '2024-02-01')].sort(compareDrafts);
    expect(list.map((d) => d.branch)).toEqual(['c', 'a', 'b']);
  });

  it('puts a saved draft in list order, replaces a draft saved again, and makes conflicts mutual', () => {
    const a = draft('lockstep/t/a', '2024-01-01');
    const b = draft('lockstep/t/b', '2024-01-02');
    const saved = draft('lockstep/t/c', '2024-01-03', ['lockstep/t/a']);
    const next = withSavedDrafts([b, a], [saved]);
    expect(next.map((d) => [d.branch, d.conflictsWith])).toEqual([
      ['lockstep/t/c', ['lockstep/t/a']],
      ['lockstep/t/b', []],
      ['lockstep/t/a', ['lockstep/t/c']],
    ]);
    // The drafts it does not touch are the same objects (the UI compares by identity).
    expect(next[1]).toBe(b);
    // Saved again (the same request answers the same draft): one entry, no second conflict mark.
    const again = withSavedDrafts(next, [saved]);
    expect(again.map((d) => d.branch)).toEqual(['lockstep/t/c', 'lockstep/t/b', 'lockstep/t/a']);
    expect(again[2].conflictsWith).toEqual(['lockstep/t/c']);
  });
});
