/**
 * Markdown export of a lock diff, for a PR body or release notes. Changes that are the same on
 * every arch are listed once; the rest per arch. Rows are per source package and version move,
 * naming the binaries, because that is how maintainers talk about updates.
 */
import { KIND_LABEL, type ArchDiff, type ChangeKind, type PackageChange } from './diff';

export interface DiffSide {
  label: string;
  commit?: string;
  date?: string;
}

export interface MarkdownOptions {
  from: DiffSide;
  to: DiffSide;
  overrides: boolean;
}

const KIND_ORDER: ChangeKind[] = ['upgraded', 'downgraded', 'added', 'removed', 'arch_changed'];

const changeKey = (c: PackageChange): string =>
  c.kind === 'arch_changed'
    ? `${c.name}\0${c.kind}\0${c.from?.evr}\0${c.from?.arch}\0${c.to?.arch}`
    : `${c.name}\0${c.kind}\0${c.from?.evr ?? ''}\0${c.to?.evr ?? ''}`;

const side = (s: DiffSide): string =>
  `\`${s.label}\`${s.commit ? ` ${s.commit.slice(0, 12)}` : ''}${s.date ? ` (${s.date.slice(0, 10)})` : ''}`;

const versionCell = (c: PackageChange, which: 'from' | 'to'): string => {
  const e = c[which];
  if (!e) return '—';
  const v = c.kind === 'arch_changed' ? `${e.evr}.${e.arch}` : e.evr;
  return e.override ? `${v} (${e.override.type ?? 'override'})` : v;
};

function summary(changes: PackageChange[]): string {
  const counts = new Map<ChangeKind, number>();
  for (const c of changes) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  const parts = KIND_ORDER.filter((k) => counts.get(k)).map((k) => `${counts.get(k)} ${KIND_LABEL[k]}`);
  return parts.length ? parts.join(', ') : 'no changes';
}

function table(changes: PackageChange[], opts: MarkdownOptions): string[] {
  // One row per (source, kind, from, to): binaries of one source usually move together.
  const rows = new Map<string, { source: string; kind: ChangeKind; from: string; to: string; names: string[] }>();
  for (const c of changes) {
    const from = versionCell(c, 'from');
    const to = versionCell(c, 'to');
    const key = `${c.source}\0${c.kind}\0${from}\0${to}`;
    const row = rows.get(key);
    if (row) row.names.push(c.name);
    else rows.set(key, { source: c.source, kind: c.kind, from, to, names: [c.name] });
  }
  const sorted = [...rows.values()].sort(
    (a, b) =>
      (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind),
  );
  const lines = [
    `| Source package | ${escapeCell(opts.from.label)} | ${escapeCell(opts.to.label)} | Change | Packages |`,
    '|---|---|---|---|---|',
  ];
  for (const r of sorted) {
    const names = r.names.length === 1 && r.names[0] === r.source ? '' : r.names.join(', ');
    lines.push(`| ${escapeCell(r.source)} | ${r.from} | ${r.to} | ${KIND_LABEL[r.kind]} | ${escapeCell(names)} |`);
  }
  return lines;
}

const escapeCell = (s: string): string => s.replace(/\|/g, '\\|');

/** Renders a multi-arch diff as Markdown. */
export function diffToMarkdown(diffs: ArchDiff[], opts: MarkdownOptions): string {
  const out: string[] = [];
  out.push(`### Lockfile diff: ${side(opts.from)} → ${side(opts.to)}`);
  out.push('');
  out.push(opts.overrides ? '_Effective locks: lockfiles with overrides applied._' : '_Lockfiles alone, overrides not applied._');
  out.push('');
  const withLock = diffs.filter((d) => d.fromHasLockfile || d.toHasLockfile);
  // A change present identically on every arch is written once.
  let common: PackageChange[] = [];
  if (withLock.length > 1) {
    const keysPerArch = withLock.map((d) => new Set(d.changes.map(changeKey)));
    common = withLock[0].changes.filter((c) => keysPerArch.every((keys) => keys.has(changeKey(c))));
  }
  const commonKeys = new Set(common.map(changeKey));
  if (common.length > 0) {
    out.push(`#### All arches (${withLock.map((d) => d.arch).join(', ')}): ${summary(common)}`);
    out.push('');
    out.push(...table(common, opts));
    out.push('');
  }
  for (const d of diffs) {
    const own = d.changes.filter((c) => !commonKeys.has(changeKey(c)));
    const title = common.length > 0 ? `#### ${d.arch} only` : `#### ${d.arch}`;
    if (!d.fromHasLockfile && !d.toHasLockfile) {
      out.push(`${title}: no lockfile on either side`);
      out.push('');
    } else if (own.length === 0) {
      out.push(`${title}: ${common.length > 0 ? 'nothing else' : 'no changes'}`);
      out.push('');
    } else {
      out.push(`${title}: ${summary(own)}`);
      out.push('');
      out.push(...table(own, opts));
      out.push('');
    }
    const inert = d.inertTo.map((o) => o.name);
    if (opts.overrides && inert.length > 0) {
      out.push(`_Inert on ${d.arch} in ${opts.to.label} (not in its lockfile): ${inert.join(', ')}_`);
      out.push('');
    }
  }
  return out.join('\n').replace(/\n+$/, '\n');
}
