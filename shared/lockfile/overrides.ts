/**
 * Parsing of override files (`manifest-lock.overrides[.<arch>].yaml`, old `.json`).
 * `packages` may be null, `[]` or `{}` (all mean empty); entries use `evr` (keeps the arch
 * of the entry it replaces) or `evra`; `metadata.type` may be missing.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { AppError, type ErrorPlace } from '../errors';
import { nameRecord } from '../records';
import { formatEvr, parseEvr, parseEvra } from '../rpm/nevra';
import { classifyLockPath } from './files';
import type { ParseContext } from './manifest-lock';
import { where } from './text-parse';
import type { OverrideEntry, OverrideFile } from './types';

/** Parses an override file; the scope (`all` or an arch) comes from its name. */
export function parseOverrides(text: string, ctx: ParseContext): OverrideFile {
  const kind = classifyLockPath(ctx.file);
  const scope = kind?.kind === 'overrides' ? kind.scope : 'all';
  const place: ErrorPlace = { file: ctx.file, commit: ctx.commit };
  // Histories parse hundreds of versions: the repo's own block layout is read by a small
  // line parser, and anything else goes to the full YAML parser.
  const quick = quickParse(text);
  if (quick) {
    const entries = nameRecord<OverrideEntry>();
    for (const [name, { raw, line }] of quick) entries[name] = overrideEntry(name, raw, ctx.file, { ...place, package: name, line });
    return { file: ctx.file, scope, entries };
  }
  return parseOverridesWithYaml(text, ctx);
}

/** The general path: any YAML (or JSON) through the yaml package, located errors. */
export function parseOverridesWithYaml(text: string, ctx: ParseContext): OverrideFile {
  const kind = classifyLockPath(ctx.file);
  const scope = kind?.kind === 'overrides' ? kind.scope : 'all';
  const place: ErrorPlace = { file: ctx.file, commit: ctx.commit };
  const lc = new LineCounter();
  // Duplicate keys occur in real history (systemd twice, 2020); like PyYAML, the last one wins.
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    // Without prettyErrors the error carries only its offset: the line counter places it.
    const line = e.linePos?.[0]?.line ?? (e.pos ? lc.linePos(e.pos[0]).line : undefined);
    throw new AppError('bad-file', `${where(place, line)}: malformed YAML: ${e.message.split('\n')[0]}`, {
      ...place,
      line,
    });
  }
  const lineOf = (node: unknown): number | undefined => {
    const range = (node as YamlNode | undefined)?.range;
    return range ? lc.linePos(range[0]).line : undefined;
  };
  const entries = nameRecord<OverrideEntry>();
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { file: ctx.file, scope, entries };
  if (!isMap(root)) {
    throw new AppError('bad-file', `${where(place, lineOf(root))}: override file must be a mapping with "packages"`, {
      ...place,
      line: lineOf(root),
    });
  }
  const pkgs = root.get('packages', true) as YamlNode | undefined;
  if (pkgs === undefined || (isScalar(pkgs) && pkgs.value === null)) return { file: ctx.file, scope, entries };
  if (isSeq(pkgs)) {
    if (pkgs.items.length === 0) return { file: ctx.file, scope, entries };
    throw new AppError('bad-file', `${where(place, lineOf(pkgs))}: "packages" must be a mapping of package names`, {
      ...place,
      line: lineOf(pkgs),
    });
  }
  if (!isMap(pkgs)) {
    throw new AppError('bad-file', `${where(place, lineOf(pkgs))}: "packages" must be a mapping of package names`, {
      ...place,
      line: lineOf(pkgs),
    });
  }
  for (const pair of pkgs.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = lineOf(pair.key);
    const value = pair.value as YamlNode | null;
    const raw = value && 'toJSON' in value ? (value as { toJSON(): unknown }).toJSON() : null;
    entries[name] = overrideEntry(name, raw, ctx.file, { ...place, package: name, line });
  }
  return { file: ctx.file, scope, entries };
}

function overrideEntry(name: string, raw: unknown, file: string, at: ErrorPlace): OverrideEntry {
  const fail = (why: string): never => {
    throw new AppError('bad-file', `${where(at)}: override "${name}": ${why}`, at);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('expected a mapping with "evr" or "evra"');
  const r = raw as Record<string, unknown>;
  const hasEvr = r.evr !== undefined;
  const hasEvra = r.evra !== undefined;
  if (hasEvr === hasEvra) fail(hasEvr ? 'has both "evr" and "evra"; keep one' : 'needs "evr" or "evra"');
  let evr: string;
  let arch: string | null = null;
  try {
    if (hasEvr) {
      if (typeof r.evr !== 'string') fail('"evr" must be a string like 1.2-3.fc40');
      evr = formatEvr(parseEvr(r.evr as string));
    } else {
      if (typeof r.evra !== 'string') fail('"evra" must be a string like 1.2-3.fc40.noarch');
      const p = parseEvra(r.evra as string);
      evr = formatEvr(p.evr);
      arch = p.arch;
    }
  } catch (err) {
    if (err instanceof AppError && err.code === 'bad-file') throw err;
    fail(err instanceof Error ? err.message : String(err));
    throw err;
  }
  const entry: OverrideEntry = { name, evr: evr!, arch, type: null, file };
  const meta = r.metadata;
  if (meta !== undefined && meta !== null) {
    if (typeof meta !== 'object' || Array.isArray(meta)) fail('"metadata" must be a mapping');
    const m = meta as Record<string, unknown>;
    for (const key of ['type', 'reason', 'bodhi'] as const) {
      if (m[key] !== undefined && m[key] !== null && typeof m[key] !== 'string') fail(`"metadata.${key}" must be a string`);
    }
    if (typeof m.type === 'string') entry.type = m.type;
    if (typeof m.reason === 'string') entry.reason = m.reason;
    if (typeof m.bodhi === 'string') entry.bodhi = m.bodhi;
  }
  return entry;
}

const SCALAR_RE = /^([A-Za-z0-9._+-]+):(?:\s+(.*?))?\s*$/;

function unquote(v: string): string | null {
  if (v.startsWith('"')) {
    try {
      const s = JSON.parse(v) as unknown;
      return typeof s === 'string' ? s : null;
    } catch {
      return null;
    }
  }
  if (v.startsWith("'")) return v.endsWith("'") && v.length > 1 ? v.slice(1, -1).replace(/''/g, "'") : null;
  // Anything YAML could read as another type or structure goes to the full parser.
  if (/^[[{&*!|>%@`]/.test(v) || /^(null|~|true|false|yes|no|on|off)$/i.test(v) || /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return null;
  return v;
}

/**
 * Reads the block layout the repo writes (`packages:` / `  name:` / `    evr: ...` /
 * `    metadata:` / `      key: value`), comments and blank lines anywhere. Returns null
 * for anything else, which then goes to the YAML parser.
 */
function quickParse(text: string): Map<string, { raw: Record<string, unknown>; line: number }> | null {
  const out = new Map<string, { raw: Record<string, unknown>; line: number }>();
  const lines = text.split('\n');
  let seenPackages = false;
  let pkgIndent = -1;
  let fieldIndent = -1;
  let metaIndent = -1;
  let current: Record<string, unknown> | null = null;
  let meta: Record<string, unknown> | null = null;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (line.includes('\t')) return null;
    const hash = line.indexOf(' #');
    if (hash >= 0) line = line.slice(0, hash);
    const indent = line.length - line.trimStart().length;
    const m = SCALAR_RE.exec(line.trim());
    if (!m) return null;
    const [, key, rawValue] = m;
    if (indent === 0) {
      if (key !== 'packages' || seenPackages) return null;
      seenPackages = true;
      if (rawValue !== undefined && rawValue !== '' && rawValue !== '{}' && rawValue !== '[]' && rawValue !== 'null' && rawValue !== '~') return null;
      continue;
    }
    if (!seenPackages) return null;
    if (pkgIndent < 0) pkgIndent = indent;
    if (indent === pkgIndent) {
      if (rawValue !== undefined && rawValue !== '') return null;
      current = nameRecord<unknown>();
      meta = null;
      fieldIndent = -1;
      out.delete(key);
      out.set(key, { raw: current, line: i + 1 });
      continue;
    }
    if (!current || indent < pkgIndent) return null;
    if (fieldIndent < 0) fieldIndent = indent;
    if (indent === fieldIndent) {
      meta = null;
      if (key === 'metadata') {
        if (rawValue !== undefined && rawValue !== '') return null;
        meta = nameRecord<unknown>();
        metaIndent = -1;
        current.metadata = meta;
        continue;
      }
      if (rawValue === undefined || rawValue === '') return null;
      const v = unquote(rawValue);
      if (v === null) return null;
      current[key] = v;
      continue;
    }
    if (!meta || indent <= fieldIndent) return null;
    if (metaIndent < 0) metaIndent = indent;
    if (indent !== metaIndent || rawValue === undefined || rawValue === '') return null;
    const v = unquote(rawValue);
    if (v === null) return null;
    meta[key] = v;
  }
  return seenPackages ? out : null;
}
