/** A unified diff of two texts, line by line, for previews and `--dry-run`. */
import { diffArrays } from 'diff';

type Op = { kind: ' ' | '-' | '+'; line: string };

/**
 * The edit script between two line lists. The common head and tail are trimmed first (override
 * edits touch a few lines of a long file); the middle goes to jsdiff's Myers diff, whose memory
 * grows with the edit distance, not with the product of the lengths as an LCS table's does.
 */
function lineOps(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }));
  for (const part of diffArrays(a.slice(start, endA), b.slice(start, endB))) {
    const kind = part.removed ? '-' : part.added ? '+' : ' ';
    for (const line of part.value) ops.push({ kind, line });
  }
  for (const line of a.slice(endA)) ops.push({ kind: ' ', line });
  return ops;
}

const splitLines = (s: string) => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));

/** `--- a/file` / `+++ b/file` unified diff with 3 lines of context; '' when equal. */
export function unifiedDiff(file: string, before: string | null, after: string | null, context = 3): string {
  const ops = lineOps(splitLines(before ?? ''), splitLines(after ?? ''));
  if (!ops.some((o) => o.kind !== ' ')) return '';
  const out = [`--- ${before === null ? '/dev/null' : `a/${file}`}`, `+++ ${after === null ? '/dev/null' : `b/${file}`}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].kind === ' ') {
      k++;
      continue;
    }
    let from = Math.max(0, k - context);
    let to = k;
    // Extend the hunk while changes are within 2*context lines of each other.
    for (let m = k; m < ops.length; m++) {
      if (ops[m].kind !== ' ') to = m;
      else if (m - to > 2 * context) break;
    }
    to = Math.min(ops.length - 1, to + context);
    let aLine = 1;
    let bLine = 1;
    for (let m = 0; m < from; m++) {
      if (ops[m].kind !== '+') aLine++;
      if (ops[m].kind !== '-') bLine++;
    }
    const hunk = ops.slice(from, to + 1);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${aCount ? aLine : aLine - 1},${aCount} +${bCount ? bLine : bLine - 1},${bCount} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.line}`);
    k = to + 1;
    from = k;
  }
  return `${out.join('\n')}\n`;
}
