import { describe, expect, it } from 'vitest';
import { diffRows, sideBySide } from '../../../../shared/text/diff-rows';
import { unifiedDiff } from '../../../../shared/text/line-diff';

const diff = unifiedDiff('kola-denylist.yaml', 'a\nb\nc\nd\n', 'a\nB1\nB2\nc\nd\ne\n');

describe('diffRows', () => {
  it('numbers each line on its side and leaves out the file header', () => {
    expect(diffRows(diff)).toEqual([
      { kind: 'hunk', text: '@@ -1,4 +1,6 @@' },
      { kind: 'context', text: 'a', old: 1, new: 1 },
      { kind: 'remove', text: 'b', old: 2, new: null },
      { kind: 'add', text: 'B1', old: null, new: 2 },
      { kind: 'add', text: 'B2', old: null, new: 3 },
      { kind: 'context', text: 'c', old: 3, new: 4 },
      { kind: 'context', text: 'd', old: 4, new: 5 },
      { kind: 'add', text: 'e', old: null, new: 6 },
    ]);
  });

  it('reads a line that starts like a header inside a hunk as a change', () => {
    const rows = diffRows(unifiedDiff('x', '-- a\n', '++ b\n'));
    expect(rows.filter((r) => r.kind !== 'hunk').map((r) => [r.kind, r.text])).toEqual([
      ['remove', '-- a'],
      ['add', '++ b'],
    ]);
  });
});

describe('sideBySide', () => {
  it('puts a run of removed lines beside the added run that follows, context on both sides', () => {
    const pairs = sideBySide(diffRows(diff)).map((r) => (r.kind === 'hunk' ? 'hunk' : `${r.left?.text ?? '·'}|${r.right?.text ?? '·'}`));
    expect(pairs).toEqual(['hunk', 'a|a', 'b|B1', '·|B2', 'c|c', 'd|d', '·|e']);
  });
});
