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
import { scanOverrideLayout, type LayoutEntry } from './override-layout';
import type { ParseContext } from './manifest-lock';
import { where } from './text-parse';
import type { OverrideChange } from './overrides-edit';
import type { OverrideEntry, OverrideFile } from './types';

/** Parses an override file; the scope (`all` or an arch) comes from its name. */
export function parseOverrides(text: string, ctx: ParseContext): OverrideFile {
  const kind = classifyLockPath(ctx.file);
  const scope = kind?.kind === 'overrides' ? kind.scope : 'all';
  const place: ErrorPlace = { file: ctx.file, commit: ctx.commit };
  // Histories parse hundreds of versions: the repo's own block layout is read by a small
  // line parser, and anything else goes to the full YAML parser.
  const layout = scanOverrideLayout(text);
  if (layout) {
    // Duplicate keys: the last one wins, in the place of its last occurrence (as YAML reads it).
    const last = new Map<string, LayoutEntry>();
    for (const e of layout.entries) {
      last.delete(e.name);
      last.set(e.name, e);
    }
    const entries = nameRecord<OverrideEntry>();
    for (const [name, { raw, line }] of last) entries[name] = overrideEntry(name, raw, ctx.file, place, line + 1);
    return { file: ctx.file, scope, entries };
  }
  return parseOverridesWithYaml(text, ctx);
}

/** A parsed override file read as another file with the same text (each arch's file often has one text). */
export function overridesAs(parsed: OverrideFile, file: string): OverrideFile {
  const kind = classifyLockPath(file);
  const entries = nameRecord<OverrideEntry>();
  for (const [name, e] of Object.entries(parsed.entries)) entries[name] = { ...e, file };
  return { file, scope: kind?.kind === 'overrides' ? kind.scope : 'all', entries };
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
    entries[name] = overrideEntry(name, raw, ctx.file, place, line);
  }
  return { file: ctx.file, scope, entries };
}

/**
 * An override file with some entries set or removed, without parsing its text again: what
 * `parseOverrides(editOverridesText(text, changes))` reads (a property test holds them equal),
 * in milliseconds on a 32k-entry file. `file` undefined: the file is new.
 */
export function withEntryChanges(file: OverrideFile | undefined, name: string, changes: readonly OverrideChange[]): OverrideFile {
  const kind = classifyLockPath(name);
  const entries = nameRecord<OverrideEntry>(file ? Object.entries(file.entries) : []);
  for (const c of changes) {
    if (c.op === 'remove') {
      delete entries[c.name];
      continue;
    }
    const { entry } = c;
    // Empty metadata values are not written (renderEntry), so they are not read back either.
    const metadata = Object.fromEntries(Object.entries(entry.metadata).filter(([, v]) => v !== undefined && v !== ''));
    entries[entry.name] = overrideEntry(entry.name, { [entry.key]: entry.value, metadata }, name, { file: name }, undefined);
  }
  return { file: name, scope: kind?.kind === 'overrides' ? kind.scope : 'all', entries };
}

function overrideEntry(name: string, raw: unknown, file: string, place: ErrorPlace, line: number | undefined): OverrideEntry {
  const fail = (why: string): never => {
    // The place is built only for an error: 32k entries must not each copy it.
    const at = { ...place, package: name, line };
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
