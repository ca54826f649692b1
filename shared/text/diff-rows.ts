/**
 * A unified diff read back into rows for display: one row per line with its old and new line
 * numbers (unified), or pairs of cells (side by side), where a run of removed lines faces the run
 * of added lines that follows it, as a reader compares them.
 */

export type LineKind = 'context' | 'add' | 'remove';

export interface DiffLine {
  kind: LineKind;
  text: string;
  old: number | null;
  new: number | null;
}

export type DiffRow = ({ kind: 'hunk' } & { text: string }) | DiffLine;

/** Side by side: a hunk header across both columns, or a left (old) and a right (new) cell. */
export type SideRow = { kind: 'hunk'; text: string } | { kind: 'pair'; left: DiffLine | null; right: DiffLine | null };

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** The rows of a `--- a/x` / `+++ b/x` unified diff; the file header lines are left out. */
export function diffRows(diff: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let oldNo = 0;
  let newNo = 0;
  const lines = diff.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const l of lines) {
    if (l.startsWith('--- ') || l.startsWith('+++ ')) {
      if (rows.length === 0) continue;
    }
    const m = HUNK.exec(l);
    if (m) {
      oldNo = Number(m[1]);
      newNo = Number(m[2]);
      rows.push({ kind: 'hunk', text: l });
    } else if (l.startsWith('+')) rows.push({ kind: 'add', text: l.slice(1), old: null, new: newNo++ });
    else if (l.startsWith('-')) rows.push({ kind: 'remove', text: l.slice(1), old: oldNo++, new: null });
    else if (l.startsWith('\\')) continue;
    else rows.push({ kind: 'context', text: l.slice(1), old: oldNo++, new: newNo++ });
  }
  return rows;
}

/** The same rows in two columns: removed lines beside the added ones that replace them. */
export function sideBySide(rows: readonly DiffRow[]): SideRow[] {
  const out: SideRow[] = [];
  let removed: DiffLine[] = [];
  let added: DiffLine[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) out.push({ kind: 'pair', left: removed[i] ?? null, right: added[i] ?? null });
    removed = [];
    added = [];
  };
  for (const r of rows) {
    if (r.kind === 'remove') {
      // A removal after additions starts a new run: additions never face later removals.
      if (added.length) flush();
      removed.push(r);
    } else if (r.kind === 'add') added.push(r);
    else {
      flush();
      out.push(r.kind === 'hunk' ? r : { kind: 'pair', left: r, right: r });
    }
  }
  flush();
  return out;
}
