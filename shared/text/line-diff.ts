/** A unified diff of two texts, line by line, for previews and `--dry-run`. */

type Op = { kind: ' ' | '-' | '+'; line: string };

function lineOps(a: string[], b: string[]): Op[] {
  // Trim the common head and tail first: override edits touch a few lines of a long file.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const ops: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }));
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      ops.push({ kind: ' ', line: x[i++] });
      j++;
    } else if (i < x.length && (j >= y.length || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ kind: '-', line: x[i++] });
    else ops.push({ kind: '+', line: y[j++] });
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
