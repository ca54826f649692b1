/**
 * A lockfile's package versions as the history walk reads them: name -> evra as written, plus
 * the source package names that changed. The walk reads every version of every lockfile (about
 * 12,000 texts of 55 kB on a 10× history); JSON.parse builds three objects and two strings per
 * package there, and that garbage, not the parsing, was most of the walk's time and its peak
 * memory. So the shape the repo writes (`{"packages": {name: {"evra": ..., "metadata":
 * {"sourcerpm": ...}}}, "metadata": ...}`) is read by a scanner that allocates only a name and
 * an evra per package. Anything it does not recognize (escapes, duplicate keys, other value
 * types, malformed text) goes to JSON.parse and, past that, to `parseLockfile`, which accepts
 * every real shape and says exactly what is wrong with the others, and where.
 */
import { own } from '../records';
import { classifyLockPath } from './files';
import { parseLockfile } from './manifest-lock';

/** name -> evra as the lockfile writes it (a zero epoch kept). */
/**
 * name -> evra as the lockfile writes it (a zero epoch kept), in the order JSON.parse's object
 * lists the names. A Map: filling a record of 440 names made the scanner twice as slow.
 */
export type LockEvras = Map<string, string>;

export interface LockStates {
  evras: LockEvras;
  /** [binary, source package] for each package whose source differs from `known`'s, in file order. */
  sources: [string, string][];
}

/**
 * A lockfile's states: scanned when it has the usual shape, else through JSON.parse, else
 * through the full parser (which throws a located `bad-file` error for a malformed file).
 */
export function readLockStates(text: string, ctx: { file: string; commit?: string }, known: Readonly<Record<string, string>>): LockStates {
  const kind = classifyLockPath(ctx.file);
  if (kind?.kind === 'lockfile' && kind.format === 'json') return scanLockJson(text, known) ?? lockStatesViaJson(text, ctx, known);
  return lockStatesViaParser(text, ctx, known);
}

/** The same states read with JSON.parse: the reference the scanner is tested against. */
export function lockStatesViaJson(text: string, ctx: { file: string; commit?: string }, known: Readonly<Record<string, string>>): LockStates {
  const kind = classifyLockPath(ctx.file);
  if (kind?.kind !== 'lockfile' || kind.format !== 'json') return lockStatesViaParser(text, ctx, known);
  let doc: { packages?: unknown } | null;
  try {
    doc = JSON.parse(text) as { packages?: unknown } | null;
  } catch {
    return lockStatesViaParser(text, ctx, known);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return lockStatesViaParser(text, ctx, known);
  const pkgs = doc.packages;
  if (pkgs === null) return { evras: new Map(), sources: [] };
  if (typeof pkgs !== 'object' || Array.isArray(pkgs)) return lockStatesViaParser(text, ctx, known);
  const entries = pkgs as Record<string, { evra?: unknown; metadata?: { sourcerpm?: unknown } }>;
  const evras: LockEvras = new Map();
  const sources: [string, string][] = [];
  for (const n in entries) {
    const e = entries[n];
    const evra = e?.evra;
    if (typeof evra !== 'string' || evra.lastIndexOf('.') < evra.lastIndexOf('-')) return lockStatesViaParser(text, ctx, known);
    evras.set(n, evra);
    const src = e.metadata?.sourcerpm;
    if (typeof src === 'string' && own(known, n) !== src) sources.push([n, src]);
  }
  return { evras, sources };
}

/** Through `parseLockfile`: every shape it accepts (YAML too), or its located error. */
function lockStatesViaParser(text: string, ctx: { file: string; commit?: string }, known: Readonly<Record<string, string>>): LockStates {
  const kind = classifyLockPath(ctx.file);
  const lf = parseLockfile(text, kind && kind.kind === 'lockfile' ? kind.arch : 'unknown', kind?.format ?? 'json', ctx);
  const evras: LockEvras = new Map();
  const sources: [string, string][] = [];
  for (const [n, e] of Object.entries(lf.packages)) {
    evras.set(n, `${e.evr}.${e.arch}`);
    if (e.sourcerpm && own(known, n) !== e.sourcerpm) sources.push([n, e.sourcerpm]);
  }
  return { evras, sources };
}

// ---------------------------------------------------------------------------------------------
// The scanner. Each reader returns the position after what it read, or FAIL.

const FAIL = -1;
const QUOTE = 34;
const BACKSLASH = 92;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
/** Deeper nesting than any lockfile has: left to JSON.parse. */
const MAX_DEPTH = 32;

function skipWs(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
}

/** A string at `i` (its opening quote): the position after its closing quote. Escapes and control characters fail. */
function skipString(s: string, i: number): number {
  if (s.charCodeAt(i) !== QUOTE) return FAIL;
  for (i++; ; i++) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    // NaN (past the end) fails too.
    if (!(c >= 32) || c === BACKSLASH) return FAIL;
  }
}

/** Any JSON value at `i`, read only to check it and step over it. */
function skipValue(s: string, i: number, depth: number): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return skipString(s, i);
  if (c === 123 || c === 91) {
    if (depth >= MAX_DEPTH) return FAIL;
    const close = c === 123 ? 125 : 93;
    i = skipWs(s, i + 1);
    if (s.charCodeAt(i) === close) return i + 1;
    for (;;) {
      if (c === 123) {
        i = skipString(s, i);
        if (i === FAIL) return FAIL;
        i = skipWs(s, i);
        if (s.charCodeAt(i) !== 58) return FAIL;
        i = skipWs(s, i + 1);
      }
      i = skipValue(s, i, depth + 1);
      if (i === FAIL) return FAIL;
      i = skipWs(s, i);
      const d = s.charCodeAt(i);
      if (d === close) return i + 1;
      if (d !== 44) return FAIL;
      i = skipWs(s, i + 1);
    }
  }
  for (const word of ['true', 'false', 'null']) if (s.startsWith(word, i)) return i + word.length;
  NUMBER.lastIndex = i;
  return NUMBER.test(s) && NUMBER.lastIndex > i ? NUMBER.lastIndex : FAIL;
}

/** True when the string at `i` (its opening quote) is exactly `word`, which has no quote in it. */
const isKey = (s: string, i: number, word: string): boolean => s.charCodeAt(i + 1 + word.length) === QUOTE && s.startsWith(word, i + 1);

/**
 * The usual shape, read without building the document; null when the text has anything else
 * (then JSON.parse reads it). Gives what `lockStatesViaJson` gives for every text it accepts.
 * With `starts`, records where each entry begins and, last, where the packages object's
 * closing brace and the space after it end (`lock-delta.ts` reads the next version from them).
 */
export function scanLockJson(s: string, known: Readonly<Record<string, string>>, starts?: number[]): LockStates | null {
  const result: LockStates = { evras: new Map(), sources: [] };
  return scanTop(s, (i) => scanPackages(s, i, known, result, starts)) ? result : null;
}

/**
 * The document around the packages object: `{"packages": ..., "other": <any JSON>, ...}` with
 * exactly one "packages" (JSON.parse would keep the last of two: left to it).
 */
function scanTop(s: string, packages: (i: number) => number): boolean {
  let i = skipWs(s, 0);
  if (s.charCodeAt(i) !== 123) return false;
  i = skipWs(s, i + 1);
  return s.charCodeAt(i) !== 125 && scanMembers(s, i, false, packages);
}

/** Top-level members from the key at `i` to the document's end; `seen`: "packages" was read before. */
function scanMembers(s: string, i: number, seen: boolean, packages: (i: number) => number): boolean {
  for (;;) {
    const keyAt = i;
    i = skipString(s, i);
    if (i === FAIL) return false;
    const isPackages = isKey(s, keyAt, 'packages');
    i = skipWs(s, i);
    if (s.charCodeAt(i) !== 58) return false;
    i = skipWs(s, i + 1);
    if (isPackages) {
      if (seen) return false;
      seen = true;
      i = packages(i);
    } else {
      i = skipValue(s, i, 1);
    }
    if (i === FAIL) return false;
    i = skipWs(s, i);
    const d = s.charCodeAt(i);
    if (d === 125) return seen && skipWs(s, i + 1) === s.length;
    if (d !== 44) return false;
    i = skipWs(s, i + 1);
  }
}

/**
 * True when `s` is what may follow the packages object's closing brace in the usual shape:
 * more members (none of them "packages"), the document's closing brace, space.
 */
export function scanLockTail(s: string): boolean {
  const i = skipWs(s, 0);
  const d = s.charCodeAt(i);
  if (d === 125) return skipWs(s, i + 1) === s.length;
  return d === 44 && scanMembers(s, skipWs(s, i + 1), true, () => FAIL);
}

/** One package entry of the repo's shapes at `i`, through the separator and space after it; null for any other text. */
export function readEntryAt(s: string, i: number): { name: string; evra: string; source: string | undefined; last: boolean; end: number } | null {
  ENTRY.lastIndex = i;
  const m = ENTRY.exec(s);
  return m ? { name: m[1], evra: m[2], source: m[3], last: m[4] === '}', end: ENTRY.lastIndex } : null;
}

/**
 * Some packages of a lockfile, for the one-package walk (`--no-cache`): the text is checked as
 * a whole (a regular expression per entry, allocating nothing) and only the names asked for
 * are looked up in it. Building all 440 entries of each of 12,000 versions to read one of them
 * was most of that walk's time and of its peak memory.
 */
export class LockLookup {
  private readonly memo = new Map<string, string | undefined>();
  private all: LockEvras | null = null;

  private constructor(
    private readonly text: string,
    /** The packages object, braces included: [from, to). */
    private readonly from: number,
    private readonly to: number,
    private readonly ctx: { file: string; commit?: string },
  ) {}

  /** A lookup over a lockfile of the usual shape, every entry checked; null for any other text. */
  static of(s: string, ctx: { file: string; commit?: string }): LockLookup | null {
    const kind = classifyLockPath(ctx.file);
    if (kind?.kind !== 'lockfile' || kind.format !== 'json') return null;
    let from = FAIL;
    let to = FAIL;
    const ok = scanTop(s, (i) => {
      from = i;
      to = checkPackages(s, i);
      return to;
    });
    return ok ? new LockLookup(s, from, to, ctx) : null;
  }

  get(name: string): string | undefined {
    if (this.memo.has(name)) return this.memo.get(name);
    const evra = this.find(name);
    this.memo.set(name, evra);
    return evra;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Every package, as `readLockStates` reads them (not used by the one-package walk). */
  keys(): IterableIterator<string> {
    return this.entries().keys();
  }

  get size(): number {
    return this.entries().size;
  }

  private entries(): LockEvras {
    return (this.all ??= readLockStates(this.text, this.ctx, {}).evras);
  }

  private find(name: string): string | undefined {
    // A name that could be a key inside an entry, or that holds JSON's own characters, is
    // looked up in the whole reading instead.
    if (!SIMPLE_NAME.test(name) || ENTRY_KEYS.has(name)) return this.entries().get(name);
    const s = this.text;
    const q = `"${name}"`;
    // Strings hold no quote in a checked text, so this finds whole strings; followed by a
    // colon, one is a package's name. The last one counts, as in JSON.parse.
    for (let at = this.to - q.length; ; at--) {
      at = s.lastIndexOf(q, at);
      if (at < this.from) return undefined;
      if (s.charCodeAt(skipWs(s, at + q.length)) !== 58) continue;
      return readEntryAt(s, at)?.evra;
    }
  }
}

const SIMPLE_NAME = /^[A-Za-z0-9._+~^-]+$/;
const ENTRY_KEYS = new Set(['evra', 'digest', 'metadata', 'sourcerpm']);

// One package entry in the shapes the repo has written ({evra}, {evra, digest}, {evra, metadata:
// {sourcerpm}}), whitespace anywhere JSON allows it, through the separator after it. A regular
// expression runs as native code: three times faster than JSON.parse here, where a loop over
// characters in JavaScript was slower. Entries it does not match are read by `scanEntry`.
const W = '[ \\t\\n\\r]*';
const STR = '"([^"\\\\\\x00-\\x1f]*)"';
const ENTRY = new RegExp(
  `${STR}${W}:${W}\\{${W}"evra"${W}:${W}${STR}` +
    `(?:${W},${W}"digest"${W}:${W}"[^"\\\\\\x00-\\x1f]*")?` +
    `(?:${W},${W}"metadata"${W}:${W}\\{${W}"sourcerpm"${W}:${W}${STR}${W}\\})?` +
    `${W}\\}${W}([,}])${W}`,
  'y',
);

// The same entries, checked without capturing anything, the evra as the JSON.parse reader
// wants it (no "-" after its last "."), through the separator after it.
const C = '[^"\\\\\\x00-\\x1f]';
const CD = '[^"\\\\\\x00-\\x1f-]';
const ENTRY_CHECK = new RegExp(
  `${W}"${C}*"${W}:${W}\\{${W}"evra"${W}:${W}"(?:${C}*-${CD}*\\.${CD}*|${CD}*)"` +
    `(?:${W},${W}"digest"${W}:${W}"${C}*")?` +
    `(?:${W},${W}"metadata"${W}:${W}\\{${W}"sourcerpm"${W}:${W}"${C}*"${W}\\})?` +
    `${W}\\}${W}[,}]`,
  'y',
);

/** The packages object at `i`, every entry checked by `ENTRY_CHECK`: the position after it, or FAIL. */
function checkPackages(s: string, i: number): number {
  if (s.charCodeAt(i) !== 123) return FAIL;
  const empty = skipWs(s, i + 1);
  if (s.charCodeAt(empty) === 125) return empty + 1;
  for (i++; ; ) {
    ENTRY_CHECK.lastIndex = i;
    if (!ENTRY_CHECK.test(s)) return FAIL;
    i = ENTRY_CHECK.lastIndex;
    if (s.charCodeAt(i - 1) === 125) return i;
  }
}

/** The packages object at `i`, into `out`. */
function scanPackages(s: string, i: number, known: Readonly<Record<string, string>>, out: LockStates, starts?: number[]): number {
  if (s.charCodeAt(i) !== 123) return FAIL;
  i = skipWs(s, i + 1);
  if (s.charCodeAt(i) === 125) return i + 1;
  const got: Entry = { name: '', evra: '', source: undefined };
  for (;;) {
    starts?.push(i);
    ENTRY.lastIndex = i;
    const m = ENTRY.exec(s);
    let last: boolean;
    if (m) {
      got.name = m[1];
      got.evra = m[2];
      got.source = m[3];
      last = m[4] === '}';
      i = ENTRY.lastIndex;
    } else {
      i = scanEntry(s, i, got);
      if (i === FAIL) return FAIL;
      i = skipWs(s, i);
      const d = s.charCodeAt(i);
      if (d !== 125 && d !== 44) return FAIL;
      last = d === 125;
      i = skipWs(s, i + 1);
    }
    const { name, evra, source } = got;
    // JSON.parse keeps the last of duplicate names, at the first one's place: left to it.
    if (out.evras.has(name)) return FAIL;
    // An object lists names that are array indices first, in numeric order: left to JSON.parse.
    if (isIndex(name)) return FAIL;
    // Not an evra: the full parser says why.
    if (evra.lastIndexOf('.') < evra.lastIndexOf('-')) return FAIL;
    out.evras.set(name, evra);
    if (source !== undefined && own(known, name) !== source) out.sources.push([name, source]);
    if (last) {
      starts?.push(i);
      return i;
    }
  }
}

/** True for a name an object would list first: an array index ("0", "42"; not "389-ds-base"). */
function isIndex(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 48 && c <= 57 && /^(?:0|[1-9][0-9]{0,9})$/.test(name) && Number(name) < 2 ** 32 - 1;
}

interface Entry {
  name: string;
  evra: string;
  source: string | undefined;
}

/** One `"name": {...}` entry in any order of keys, unknown keys skipped: the position after its `}`. */
function scanEntry(s: string, i: number, got: Entry): number {
  const nameAt = i;
  i = skipString(s, i);
  if (i === FAIL) return FAIL;
  got.name = s.slice(nameAt + 1, i - 1);
  i = skipWs(s, i);
  if (s.charCodeAt(i) !== 58) return FAIL;
  i = skipWs(s, i + 1);
  if (s.charCodeAt(i) !== 123) return FAIL;
  i = skipWs(s, i + 1);
  let evraAt = FAIL;
  let evraEnd = FAIL;
  let srcAt = FAIL;
  let srcEnd = FAIL;
  let hadMetadata = false;
  if (s.charCodeAt(i) === 125) return FAIL;
  for (;;) {
    const keyAt = i;
    i = skipString(s, i);
    if (i === FAIL) return FAIL;
    const isEvra = isKey(s, keyAt, 'evra');
    const isMetadata = !isEvra && isKey(s, keyAt, 'metadata');
    i = skipWs(s, i);
    if (s.charCodeAt(i) !== 58) return FAIL;
    i = skipWs(s, i + 1);
    if (isEvra) {
      if (evraAt !== FAIL || s.charCodeAt(i) !== QUOTE) return FAIL;
      evraAt = i + 1;
      i = skipString(s, i);
      evraEnd = i - 1;
    } else if (isMetadata) {
      // JSON.parse's reader ignores a metadata that is not an object; rare: left to it.
      if (hadMetadata || s.charCodeAt(i) !== 123) return FAIL;
      hadMetadata = true;
      i = skipWs(s, i + 1);
      if (s.charCodeAt(i) !== 125) {
        for (;;) {
          const mAt = i;
          i = skipString(s, i);
          if (i === FAIL) return FAIL;
          const isSource = isKey(s, mAt, 'sourcerpm');
          i = skipWs(s, i);
          if (s.charCodeAt(i) !== 58) return FAIL;
          i = skipWs(s, i + 1);
          if (isSource) {
            if (srcAt !== FAIL || s.charCodeAt(i) !== QUOTE) return FAIL;
            srcAt = i + 1;
            i = skipString(s, i);
            srcEnd = i - 1;
          } else {
            i = skipValue(s, i, 4);
          }
          if (i === FAIL) return FAIL;
          i = skipWs(s, i);
          const d = s.charCodeAt(i);
          if (d === 125) break;
          if (d !== 44) return FAIL;
          i = skipWs(s, i + 1);
        }
      }
      i++;
    } else {
      i = skipValue(s, i, 3);
    }
    if (i === FAIL) return FAIL;
    i = skipWs(s, i);
    const d = s.charCodeAt(i);
    if (d === 125) break;
    if (d !== 44) return FAIL;
    i = skipWs(s, i + 1);
  }
  if (evraAt === FAIL) return FAIL;
  got.evra = s.slice(evraAt, evraEnd);
  got.source = srcAt === FAIL ? undefined : s.slice(srcAt, srcEnd);
  return i + 1;
}
