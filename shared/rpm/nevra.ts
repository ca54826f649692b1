/**
 * Package names and versions: `name-[epoch:]version-release[.arch]`. Names may hold dashes;
 * versions and releases cannot. A trailing `.token` is an arch only when the token is a known
 * arch, so `openssh-9.6p1-1.fc40.4` has none. Zero epochs are omitted when formatting.
 */
import { KNOWN_ARCHES } from './arches';
import { AppError } from '../errors';
import { rpmvercmp } from './rpmvercmp';

export interface Evr {
  /**
   * Decimal digits without leading zeros, `'0'` when absent. A string, not a number: rpm
   * epochs are unsigned integers of any size in the files, and a JS number would round
   * `99999999999999999999` or make `9007199254740993` equal `9007199254740992`.
   */
  epoch: string;
  version: string;
  /** null when the input had no release. */
  release: string | null;
}

export interface Nevra extends Evr {
  name: string;
  arch: string | null;
}

/** Arches every repo knows; a repo's own lockfile arches can be added per call. */
export const BASE_ARCHES: readonly string[] = KNOWN_ARCHES;

const PART_RE = /^[A-Za-z0-9._+~^]+$/;
const NAME_RE = /^[A-Za-z0-9._+-]+$/;

const bad = (what: string, value: string, why: string): AppError =>
  new AppError('bad-input', `invalid ${what} "${value}": ${why}`, { value });

/** True when `s` can be an rpm package name (letters, digits and `. _ + -`). */
export function isPackageName(s: string): boolean {
  return typeof s === 'string' && NAME_RE.test(s);
}

/** True when `token` names an arch. */
export function isKnownArch(token: string, extra?: Iterable<string>): boolean {
  if (BASE_ARCHES.includes(token)) return true;
  if (extra) for (const a of extra) if (a === token) return true;
  return false;
}

function checkPart(what: string, input: string, label: string, part: string): void {
  if (part === '') throw bad(what, input, `empty ${label}`);
  if (!PART_RE.test(part)) {
    const ch = [...part].find((c) => !PART_RE.test(c));
    throw bad(what, input, `${label} "${part}" holds ${JSON.stringify(ch)}; only letters, digits and . _ + ~ ^ are allowed`);
  }
}

function parseEpoch(what: string, input: string, s: string): string {
  if (!/^\d+$/.test(s)) throw bad(what, input, `epoch "${s}" is not a non-negative integer`);
  return canonicalEpoch(s);
}

/** An epoch's canonical digits: leading zeros dropped, `'0'` for zero. */
export function canonicalEpoch(e: string | number | null | undefined): string {
  if (e === null || e === undefined) return '0';
  const s = typeof e === 'number' ? (Number.isSafeInteger(e) && e >= 0 ? String(e) : null) : e;
  if (s === null || !/^\d+$/.test(s)) throw bad('epoch', String(e), 'not a non-negative integer');
  return s.replace(/^0+(?=\d)/, '');
}

/** Compares two canonical epochs as numbers of any size: longer digit strings are bigger. */
export function compareEpochs(a: string, b: string): -1 | 0 | 1 {
  const x = canonicalEpoch(a);
  const y = canonicalEpoch(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Parses `[E:]V[-R]`. */
export function parseEvr(s: string): Evr {
  return parseEvrAs('EVR', s);
}

function parseEvrAs(what: string, s: string): Evr {
  if (typeof s !== 'string' || s.trim() === '') throw bad(what, String(s), 'empty');
  if (/\s/.test(s)) throw bad(what, s, 'contains white space');
  let rest = s;
  let epoch = '0';
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    epoch = parseEpoch(what, s, rest.slice(0, colon));
    rest = rest.slice(colon + 1);
    if (rest.includes(':')) throw bad(what, s, 'more than one ":"');
  }
  const parts = rest.split('-');
  if (parts.length > 2) throw bad(what, s, 'more than one "-": version and release cannot hold dashes');
  checkPart(what, s, 'version', parts[0]);
  let release: string | null = null;
  if (parts.length === 2) {
    checkPart(what, s, 'release', parts[1]);
    release = parts[1];
  }
  return { epoch, version: parts[0], release };
}

/** Formats an EVR, omitting a zero epoch: `1.2-3.fc40`, `2:1.0-1.fc40`. */
export function formatEvr(evr: Evr): string {
  const e = evr.epoch !== '0' && evr.epoch !== '' ? `${evr.epoch}:` : '';
  return evr.release === null ? `${e}${evr.version}` : `${e}${evr.version}-${evr.release}`;
}

/** The canonical form of an EVR string: `0:1.10.3-3.fc40` becomes `1.10.3-3.fc40`. */
export function normalizeEvr(s: string): string {
  return formatEvr(parseEvr(s));
}

/** Compares EVRs: epoch, then version, then release (a missing release sorts first). */
export function compareEvr(a: Evr | string, b: Evr | string): -1 | 0 | 1 {
  const x = typeof a === 'string' ? parseEvr(a) : a;
  const y = typeof b === 'string' ? parseEvr(b) : b;
  const e = compareEpochs(x.epoch, y.epoch);
  if (e !== 0) return e;
  const v = rpmvercmp(x.version, y.version);
  if (v !== 0) return v;
  if (x.release === null || y.release === null) {
    return x.release === y.release ? 0 : x.release === null ? -1 : 1;
  }
  return rpmvercmp(x.release, y.release);
}

/** Parses a lockfile `evra` (`[E:]V-R.A`): the last `.token` is always the arch. */
export function parseEvra(s: string): { evr: Evr; arch: string } {
  if (typeof s !== 'string' || s === '') throw bad('EVRA', String(s), 'empty');
  const dot = s.lastIndexOf('.');
  const dash = s.lastIndexOf('-');
  if (dash < 0) throw bad('EVRA', s, 'no release: expected [E:]V-R.A');
  if (dot < dash) throw bad('EVRA', s, 'no arch: expected [E:]V-R.A');
  const arch = s.slice(dot + 1);
  if (!/^[A-Za-z0-9_]+$/.test(arch)) throw bad('EVRA', s, `arch "${arch}" is not an arch name`);
  const evr = parseEvrAs('EVRA', s.slice(0, dot));
  return { evr, arch };
}

/** Parses `name-[E:]V-R[.A]`; the arch is set only for a known arch suffix. */
export function parseNevra(s: string, extraArches?: Iterable<string>): Nevra {
  if (typeof s !== 'string' || s.trim() === '') throw bad('NEVRA', String(s), 'empty');
  if (/\s/.test(s)) throw bad('NEVRA', s, 'contains white space');
  let rest = s;
  let arch: string | null = null;
  const dot = rest.lastIndexOf('.');
  if (dot > rest.lastIndexOf('-') && isKnownArch(rest.slice(dot + 1), extraArches)) {
    arch = rest.slice(dot + 1);
    rest = rest.slice(0, dot);
  }
  const relDash = rest.lastIndexOf('-');
  const verDash = relDash > 0 ? rest.lastIndexOf('-', relDash - 1) : -1;
  if (relDash < 0 || verDash <= 0) throw bad('NEVRA', s, 'expected name-[epoch:]version-release[.arch]');
  const name = rest.slice(0, verDash);
  if (!NAME_RE.test(name)) throw bad('NEVRA', s, `package name "${name}" holds characters rpm does not allow`);
  const evr = parseEvrAs('NEVRA', rest.slice(verDash + 1));
  return { name, ...evr, arch };
}

/** Formats `name-[E:]V-R[.A]`, omitting a zero epoch. */
export function formatNevra(n: Nevra): string {
  return `${n.name}-${formatEvr(n)}${n.arch ? `.${n.arch}` : ''}`;
}

/**
 * Parses what a user types for a version to pin: an EVR (`[E:]V-R`, exactly one dash) or an
 * NVR (`name-V-R`, two dashes or more). An arch suffix is refused: overrides take the arch
 * from the lockfile.
 */
export function parseNvrOrEvr(s: string): { name: string | null; evr: Evr } {
  if (typeof s !== 'string' || s.trim() === '') throw bad('version', String(s), 'empty');
  const trimmed = s.trim();
  const dot = trimmed.lastIndexOf('.');
  if (dot > trimmed.lastIndexOf('-') && isKnownArch(trimmed.slice(dot + 1))) {
    throw bad('version', s, `ends with the arch ".${trimmed.slice(dot + 1)}"; give an EVR or NVR without arch`);
  }
  const dashes = trimmed.split('-').length - 1;
  if (dashes >= 2) {
    const n = parseNevra(trimmed);
    return { name: n.name, evr: { epoch: n.epoch, version: n.version, release: n.release } };
  }
  return { name: null, evr: parseEvrAs('version', trimmed) };
}
