/**
 * The diff list's row model, pure and fast (1,200+ changes): one row per package across the
 * shown arches, grouped by source package, filtered by text, change kind and overrides.
 */
import { CHANGE_KINDS, type ArchDiff, type ChangeKind, type PackageChange } from '../../../shared/lockfile/diff';
import type { OverrideMark } from '../../../shared/lockfile/types';
import type { DeepReadonly } from '../../../shared/readonly';

export const ALL_ARCHES = 'all';

export interface ChangeRow {
  type: 'change';
  key: string;
  name: string;
  source: string;
  /** The change on each shown arch (absent: no change there). */
  perArch: Record<string, PackageChange>;
  /** Every kind the package has on the shown arches. */
  kinds: ChangeKind[];
  /** Under a source group header (the source has several changed binaries). */
  grouped: boolean;
  /** The same move on every shown arch: the all-arches view shows it once. */
  uniform: boolean;
  /** The override deciding the new version (or, failing that, the old one), if any. */
  override: { mark: OverrideMark; side: 'from' | 'to' } | null;
}

export interface GroupRow {
  type: 'group';
  key: string;
  source: string;
  count: number;
  /** The move shared by every binary of the group, when they all moved alike. */
  move: { from: string; to: string } | null;
}

export type Row = GroupRow | ChangeRow;

export interface RowFilter {
  text: string;
  hidden: ReadonlySet<ChangeKind>;
  overridesOnly: boolean;
}

/** A cell's comparable text: EVRs, plus arches when the arch is what changed. */
export function moveOf(c: PackageChange): { from: string; to: string } {
  const withArch = c.kind === 'arch_changed';
  const side = (e: PackageChange['from']) => (e ? (withArch ? `${e.evr}.${e.arch}` : e.evr) : '');
  return { from: side(c.from), to: side(c.to) };
}

const moveKey = (c: PackageChange) => {
  const m = moveOf(c);
  return `${c.kind}\0${m.from}\0${m.to}`;
};

function overrideOf(changes: PackageChange[]): ChangeRow['override'] {
  for (const c of changes) if (c.to?.override) return { mark: c.to.override, side: 'to' };
  for (const c of changes) if (c.from?.override) return { mark: c.from.override, side: 'from' };
  return null;
}

/** Merges the shown arches' changes into one row per package (unfiltered, ungrouped), sorted by source then name. */
export function packageRows(arches: DeepReadonly<ArchDiff[]>): ChangeRow[] {
  const byName = new Map<string, ChangeRow>();
  for (const d of arches) {
    for (const c of d.changes) {
      let r = byName.get(c.name);
      if (!r) {
        r = { type: 'change', key: c.name, name: c.name, source: c.source, perArch: {}, kinds: [], grouped: false, uniform: false, override: null };
        byName.set(c.name, r);
      }
      r.perArch[d.arch] = c;
      if (!r.kinds.includes(c.kind)) r.kinds.push(c.kind);
    }
  }
  const rows = [...byName.values()];
  for (const r of rows) {
    const changes = Object.values(r.perArch);
    r.override = overrideOf(changes);
    r.uniform = changes.length === arches.length && changes.every((c) => moveKey(c) === moveKey(changes[0]));
    r.kinds.sort((a, b) => CHANGE_KINDS.indexOf(a) - CHANGE_KINDS.indexOf(b));
  }
  return rows.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const hasOverride = (r: ChangeRow) => Object.values(r.perArch).some((c) => c.from?.override || c.to?.override);

/** Rows passing the text and overrides filters (not the kind filter): what the kind counts count. */
export function matchRows(rows: ChangeRow[], f: Pick<RowFilter, 'text' | 'overridesOnly'>): ChangeRow[] {
  const q = f.text.trim().toLowerCase();
  return rows.filter((r) => (!q || r.name.toLowerCase().includes(q) || r.source.toLowerCase().includes(q)) && (!f.overridesOnly || hasOverride(r)));
}

/** Packages per change kind (a package with several kinds across arches counts under each). */
export function kindCounts(rows: ChangeRow[]): Record<ChangeKind, number> {
  const counts: Record<ChangeKind, number> = { added: 0, removed: 0, upgraded: 0, downgraded: 0, arch_changed: 0 };
  for (const r of rows) for (const k of r.kinds) counts[k]++;
  return counts;
}

/** The list to render: matching rows whose kinds are not all hidden, with a header before each multi-binary source. */
export function visibleRows(matching: ChangeRow[], hidden: ReadonlySet<ChangeKind>): Row[] {
  const kept = hidden.size ? matching.filter((r) => r.kinds.some((k) => !hidden.has(k))) : matching;
  const out: Row[] = [];
  for (let i = 0; i < kept.length; ) {
    let j = i;
    while (j < kept.length && kept[j].source === kept[i].source) j++;
    const group = kept.slice(i, j);
    if (group.length > 1) {
      const moves = new Set(group.flatMap((r) => Object.values(r.perArch).map((c) => `${moveOf(c).from}\0${moveOf(c).to}`)));
      const only = moves.size === 1 ? [...moves][0].split('\0') : null;
      out.push({ type: 'group', key: `group:${group[0].source}`, source: group[0].source, count: group.length, move: only ? { from: only[0], to: only[1] } : null });
      for (const r of group) out.push({ ...r, grouped: true });
    } else {
      out.push({ ...group[0], grouped: false });
    }
    i = j;
  }
  return out;
}
