/**
 * A stream's override files as the demo writes them: the repo's conventions (header comment,
 * `evr` or `evra`, metadata keys in order, a comment above an entry, `{}` or `[]` when empty).
 */
import { parse as parseYaml } from 'yaml';
import { binEvr, type Src } from './catalog';
import type { Arch, Files } from './tree-files';

export interface Override {
  evr?: string;
  evra?: string;
  type: 'pin' | 'fast-track';
  bodhi?: string;
  reason?: string;
  /** A comment line written above the entry. */
  comment?: string;
}
export type OverrideMap = Record<string, Override>;

export interface OverrideSet {
  all: OverrideMap;
  /** Per-arch files that exist (possibly empty). */
  arch: Partial<Record<Arch, OverrideMap>>;
  /** How an empty all-arch file writes `packages`. */
  empty: '{}' | '[]';
}

export const cloneOverrides = (o: OverrideSet): OverrideSet => ({
  all: { ...o.all },
  arch: Object.fromEntries(Object.entries(o.arch).map(([k, v]) => [k, { ...v }])),
  empty: o.empty,
});

const OVERRIDES_HEADER = `# Overrides for this stream's lockfiles.
#
# Two kinds of entry live here:
# - \`type: pin\` keeps a package at the version written here until someone removes
#   the entry. A pin always needs a URL explaining it in \`metadata.reason\`.
# - \`type: fast-track\` brings in a version before it reaches the distro's stable
#   update repos. Give the Bodhi update URL in \`metadata.bodhi\` and a URL in
#   \`metadata.reason\`; the reason may be skipped for our own packages (ignition,
#   afterburn, rpm-ostree and the like). Fast-tracks are removed automatically
#   once the stable repos carry that version or a newer one.
#
# Archful packages use \`evr\`; noarch ones use \`evra\` ending in \`.noarch\`.
# Overrides for one architecture only go in manifest-lock.overrides.<arch>.yaml.
`;

/** A scalar as plain YAML when that reads back as the same string, else JSON-quoted. */
function yamlScalar(v: string): string {
  try {
    if (!/^\s|\s$|#|: /.test(v) && parseYaml(`x: ${v}`)?.x === v) return v;
  } catch {
    // quoted below
  }
  return JSON.stringify(v);
}

function renderOverrides(entries: OverrideMap, empty: '{}' | '[]'): string {
  const names = Object.keys(entries).sort();
  if (!names.length) return `${OVERRIDES_HEADER}\npackages: ${empty}\n`;
  const lines = ['packages:'];
  for (const n of names) {
    const e = entries[n];
    if (e.comment) lines.push(`  # ${e.comment}`);
    lines.push(`  ${yamlScalar(n)}:`);
    lines.push(e.evra ? `    evra: ${yamlScalar(e.evra)}` : `    evr: ${yamlScalar(e.evr!)}`);
    lines.push('    metadata:');
    if (e.bodhi) lines.push(`      bodhi: ${e.bodhi}`);
    if (e.reason) lines.push(`      reason: ${e.reason}`);
    lines.push(`      type: ${e.type}`);
  }
  return `${OVERRIDES_HEADER}\n${lines.join('\n')}\n`;
}

export function overrideFiles(o: OverrideSet): Files {
  const files: Files = { 'manifest-lock.overrides.yaml': renderOverrides(o.all, o.empty) };
  for (const [arch, map] of Object.entries(o.arch)) files[`manifest-lock.overrides.${arch}.yaml`] = renderOverrides(map!, '{}');
  return files;
}

/** Override entries for every binary of a source at its current (or given) state. */
export function entriesFor(s: Src, fc: number, meta: Omit<Override, 'evr' | 'evra'>, only?: string[]): OverrideMap {
  const out: OverrideMap = {};
  for (const b of s.bins) {
    if (only && !only.includes(b.name)) continue;
    const evr = binEvr(s, b, fc);
    out[b.name] = s.noarch || b.noarch ? { evra: `${evr}.noarch`, ...meta } : { evr, ...meta };
  }
  return out;
}
