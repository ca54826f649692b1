import { applyPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../../shared/text/line-diff';

const lines = (n: number, f = (i: number) => `line ${i}`) => Array.from({ length: n }, (_, i) => f(i + 1)).join('\n') + '\n';

describe('unifiedDiff', () => {
  it('is empty when the texts are equal, or differ only by a final newline', () => {
    expect(unifiedDiff('f', 'a\nb\n', 'a\nb\n')).toBe('');
    expect(unifiedDiff('f', 'a\nb', 'a\nb\n')).toBe('');
    expect(unifiedDiff('f', null, '')).toBe('');
  });

  it('writes one hunk with three lines of context around a changed line', () => {
    const before = lines(10);
    const after = before.replace('line 5\n', 'line five\n');
    expect(unifiedDiff('manifest-lock.overrides.yaml', before, after)).toBe(
      [
        '--- a/manifest-lock.overrides.yaml',
        '+++ b/manifest-lock.overrides.yaml',
        '@@ -2,7 +2,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+line five',
        ' line 6',
        ' line 7',
        ' line 8',
        '',
      ].join('\n'),
    );
  });

  it('names /dev/null for a created or deleted file, with a zero-length side', () => {
    expect(unifiedDiff('new.yaml', null, 'a\nb\n')).toBe('--- /dev/null\n+++ b/new.yaml\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('old.yaml', 'a\n', null)).toBe('--- a/old.yaml\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n');
  });

  it('joins changes within twice the context into one hunk, and splits farther ones', () => {
    const before = lines(40);
    const near = before.replace('line 10\n', 'x\n').replace('line 16\n', 'y\n');
    expect(unifiedDiff('f', before, near).match(/^@@/gm)).toHaveLength(1);
    const far = before.replace('line 10\n', 'x\n').replace('line 30\n', 'y\n');
    const hunks = unifiedDiff('f', before, far).match(/^@@.*@@$/gm);
    expect(hunks).toEqual(['@@ -7,7 +7,7 @@', '@@ -27,7 +27,7 @@']);
  });

  it('puts removals before additions, and keeps moved lines minimal', () => {
    const out = unifiedDiff('f', 'a\nb\nc\n', 'a\nB\nc\nd\n');
    expect(out.split('\n').slice(2)).toEqual(['@@ -1,3 +1,4 @@', ' a', '-b', '+B', ' c', '+d', '']);
  });

  it('writes a patch that turns the old text into the new one (two lockfiles of 1,100 lines, a third of them changed)', () => {
    const before = lines(1100, (i) => `    "pkg-${i}": { "evra": "1.${i}-1.fc40.x86_64" },`);
    const after = lines(1100, (i) => (i % 3 === 0 ? `    "pkg-${i}": { "evra": "2.${i}-1.fc41.x86_64" },` : i % 50 === 0 ? `    "new-${i}": { "evra": "1-1.fc41.noarch" },\n    "pkg-${i}": { "evra": "1.${i}-1.fc40.x86_64" },` : `    "pkg-${i}": { "evra": "1.${i}-1.fc40.x86_64" },`));
    const patch = unifiedDiff('manifest-lock.x86_64.json', before, after);
    expect(applyPatch(before, patch)).toBe(after);
    const removed = patch.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---')).length;
    const added = patch.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++')).length;
    // A minimal script: each changed line once out and once in, plus the 15 new lines (every 50th package that is not also every 3rd).
    expect(removed).toBe(366);
    expect(added).toBe(366 + 15);
  });

  it('diffs two texts with nothing in common as one removal and one addition', () => {
    const patch = unifiedDiff('f', lines(200, (i) => `a${i}`), lines(150, (i) => `b${i}`));
    expect(patch.split('\n')[2]).toBe('@@ -1,200 +1,150 @@');
    expect(applyPatch(lines(200, (i) => `a${i}`), patch)).toBe(lines(150, (i) => `b${i}`));
  });
});
