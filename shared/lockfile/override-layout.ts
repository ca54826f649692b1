/**
 * The block layout the repo writes its override files in (`packages:` / `  name:` /
 * `    evr: ...` / `    metadata:` / `      key: value`, comments and blank lines anywhere),
 * read by a line scanner. Parsing a whole 32k-entry file with the YAML library takes seconds
 * (it builds a node per scalar); this takes tens of milliseconds. Both the parser and the
 * comment-preserving editor use it, and both fall back to the YAML library for anything the
 * scanner does not recognize, so an unusual file is still read exactly.
 */
export interface LayoutEntry {
  name: string;
  /** 0-based line of the entry's key. */
  line: number;
  /** The fields the repo's tooling reads, as YAML would read them (unknown keys are skipped, as the tooling skips them). */
  raw: RawEntry;
}

export interface RawMetadata {
  type?: string;
  reason?: string;
  bodhi?: string;
}

export interface RawEntry {
  evr?: string;
  evra?: string;
  metadata?: RawMetadata;
}

export interface OverrideLayout {
  /** 0-based line of the `packages:` key. */
  packagesLine: number;
  /** Every entry in file order, duplicates included (the last one is what rpm-ostree sees). */
  entries: LayoutEntry[];
}

const KEY_RE = /^[A-Za-z0-9._+-]+$/;
const EMPTY_VALUES = new Set(['', '{}', '[]', 'null', '~']);

/** A scalar's string value, or null when YAML could read it as another type or structure. */
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
  if (/^[[{&*!|>%@`]/.test(v) || /^(null|~|true|false|yes|no|on|off)$/i.test(v) || /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return null;
  return v;
}

// The last few large texts scanned and their layouts. A draft scans the head's override file
// when the stream is read and again when it edits it: a 32k-entry file is scanned once. The
// layouts are never changed by their readers; comparing a 4 MB string takes a millisecond.
const MEMO_MIN_LENGTH = 64 * 1024;
const MEMO_SIZE = 4;
const memo: { text: string; layout: OverrideLayout | null }[] = [];

/** The layout of an override file's text, or null when it is not in the repo's block layout. */
export function scanOverrideLayout(text: string): OverrideLayout | null {
  if (text.length < MEMO_MIN_LENGTH) return scan(text);
  const hit = memo.findIndex((m) => m.text === text);
  if (hit >= 0) {
    const [m] = memo.splice(hit, 1);
    memo.unshift(m);
    return m.layout;
  }
  const layout = scan(text);
  memo.unshift({ text, layout });
  memo.length = Math.min(memo.length, MEMO_SIZE);
  return layout;
}

function scan(text: string): OverrideLayout | null {
  const entries: LayoutEntry[] = [];
  const lines = text.split('\n');
  let packagesLine = -1;
  let pkgIndent = -1;
  let fieldIndent = -1;
  let metaIndent = -1;
  let current: RawEntry | null = null;
  let meta: RawMetadata | null = null;
  for (let i = 0; i < lines.length; i++) {
    // Character codes rather than trim and regex per line: the scanner runs on every draft.
    let line = lines[i];
    let end = line.length;
    if (end > 0 && line.charCodeAt(end - 1) === 13) end--;
    let indent = 0;
    while (indent < end && line.charCodeAt(indent) === 32) indent++;
    if (indent === end || line.charCodeAt(indent) === 35) continue;
    if (line.includes('\t')) return null;
    const hash = line.indexOf(' #', indent);
    if (hash >= 0 && hash < end) end = hash;
    while (end > indent && line.charCodeAt(end - 1) === 32) end--;
    line = line.slice(indent, end);
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const key = line.slice(0, colon);
    if (!KEY_RE.test(key)) return null;
    let rawValue: string | undefined;
    if (colon + 1 < line.length) {
      if (line.charCodeAt(colon + 1) !== 32) return null;
      rawValue = line.slice(colon + 2).trimStart();
    }
    if (indent === 0) {
      if (key !== 'packages' || packagesLine >= 0) return null;
      packagesLine = i;
      if (rawValue !== undefined && !EMPTY_VALUES.has(rawValue)) return null;
      continue;
    }
    if (packagesLine < 0) return null;
    if (pkgIndent < 0) pkgIndent = indent;
    if (indent === pkgIndent) {
      if (rawValue !== undefined && rawValue !== '') return null;
      // Fixed-shape objects: a property added by a name sliced from the text costs a string
      // table lookup per line, which made this scanner ten times slower.
      current = { evr: undefined, evra: undefined, metadata: undefined };
      meta = null;
      fieldIndent = -1;
      entries.push({ name: key, line: i, raw: current });
      continue;
    }
    if (!current || indent < pkgIndent) return null;
    if (fieldIndent < 0) fieldIndent = indent;
    if (indent === fieldIndent) {
      meta = null;
      if (key === 'metadata') {
        if (rawValue !== undefined && rawValue !== '') return null;
        meta = { type: undefined, reason: undefined, bodhi: undefined };
        metaIndent = -1;
        current.metadata = meta;
        continue;
      }
      if (rawValue === undefined || rawValue === '') return null;
      const v = unquote(rawValue);
      if (v === null) return null;
      if (key === 'evr') current.evr = v;
      else if (key === 'evra') current.evra = v;
      continue;
    }
    if (!meta || indent <= fieldIndent) return null;
    if (metaIndent < 0) metaIndent = indent;
    if (indent !== metaIndent || rawValue === undefined || rawValue === '') return null;
    const v = unquote(rawValue);
    if (v === null) return null;
    if (key === 'type') meta.type = v;
    else if (key === 'reason') meta.reason = v;
    else if (key === 'bodhi') meta.bodhi = v;
  }
  if (packagesLine < 0) return null;
  // `packages: {}` followed by entries is not one mapping: leave it to the YAML parser.
  if (entries.length > 0 && /^packages:\s*\S/.test(lines[packagesLine].replace(/\s+#.*$/, ''))) return null;
  return { packagesLine, entries };
}
