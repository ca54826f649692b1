/**
 * Parsing of an arch's lockfile (`manifest-lock.<arch>.json`). Accepts every shape the
 * reference repo ever had: `{evra, digest}` entries, bare `{evra}` entries with or without
 * top-level metadata, entries with `metadata.sourcerpm`, and `{"packages": {}}`.
 */
import { AppError, type ErrorPlace } from '../errors';
import { nameRecord } from '../records';
import { formatEvr, parseEvra } from '../rpm/nevra';
import type { LockFormat } from './files';
import { isPlainObject, parseLockText, where } from './text-parse';
import type { LockEntry, Lockfile } from './types';

export interface ParseContext {
  file: string;
  commit?: string;
}

/** Parses a lockfile's text; any unknown shape is an error naming file, commit and package. */
export function parseLockfile(text: string, arch: string, format: LockFormat, ctx: ParseContext): Lockfile {
  const place: ErrorPlace = { file: ctx.file, commit: ctx.commit, arch };
  const doc = parseLockText(text, format, place);
  return lockfileFromValue(doc, arch, place);
}

/** Builds a Lockfile from an already parsed value (JSON.parse output). */
export function lockfileFromValue(doc: unknown, arch: string, place: ErrorPlace): Lockfile {
  const file = place.file ?? `manifest-lock.${arch}.json`;
  if (!isPlainObject(doc)) {
    throw new AppError('bad-file', `${where(place)}: unknown lockfile shape: expected an object with "packages"`, place);
  }
  const pkgs = doc.packages;
  const packages = nameRecord<LockEntry>();
  if (pkgs !== null && pkgs !== undefined && !isPlainObject(pkgs)) {
    throw new AppError('bad-file', `${where(place)}: unknown lockfile shape: "packages" is not a mapping`, place);
  }
  if (pkgs === undefined) {
    throw new AppError('bad-file', `${where(place)}: unknown lockfile shape: no "packages" key`, place);
  }
  if (pkgs) {
    for (const name of Object.keys(pkgs)) {
      packages[name] = lockEntry(name, pkgs[name], place);
    }
  }
  const lockfile: Lockfile = { arch, file, packages };
  if (isPlainObject(doc.metadata)) lockfile.metadata = doc.metadata as Lockfile['metadata'];
  return lockfile;
}

function lockEntry(name: string, raw: unknown, place: ErrorPlace): LockEntry {
  const at = { ...place, package: name };
  if (!isPlainObject(raw) || typeof raw.evra !== 'string') {
    throw new AppError(
      'bad-file',
      `${where(place)}: unknown lockfile shape for package "${name}": expected {"evra": "[E:]V-R.A", ...}`,
      at,
    );
  }
  let parsed;
  try {
    parsed = parseEvra(raw.evra);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new AppError('bad-file', `${where(place)}: package "${name}": ${msg}`, at);
  }
  const entry: LockEntry = { evr: formatEvr(parsed.evr), arch: parsed.arch };
  const meta = raw.metadata;
  if (meta !== undefined) {
    if (!isPlainObject(meta) || (meta.sourcerpm !== undefined && typeof meta.sourcerpm !== 'string')) {
      throw new AppError(
        'bad-file',
        `${where(place)}: unknown lockfile shape for package "${name}": "metadata" must be {"sourcerpm": "<name>"}`,
        at,
      );
    }
    if (typeof meta.sourcerpm === 'string') entry.sourcerpm = meta.sourcerpm;
  }
  if (typeof raw.digest === 'string') entry.digest = raw.digest;
  return entry;
}
