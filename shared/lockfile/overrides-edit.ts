/**
 * Comment-preserving edits of an override file. The upstream tooling re-serializes the whole
 * file and drops every comment; here each edit splices only the lines of the entry it touches,
 * so the header, every other comment, key order and untouched entries stay byte for byte.
 * New entries go in sorted position; an empty `packages` becomes a block mapping.
 */
import { isMap, isScalar, isSeq, LineCounter, parse as parseYaml, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import { AppError } from '../errors';
import { scanOverrideLayout } from './override-layout';
import { where } from './text-parse';

/** Metadata keys in the order the repo writes them. */
export interface OverrideMetadata {
  bodhi?: string;
  reason?: string;
  type?: string;
}

export interface OverrideEntrySpec {
  name: string;
  /** `evr` keeps the arch of the lockfile entry; `evra` names it (noarch in the all-arch file). */
  key: 'evr' | 'evra';
  value: string;
  metadata: OverrideMetadata;
}

export type OverrideChange = { op: 'set'; entry: OverrideEntrySpec } | { op: 'remove'; name: string };

/** The header the reference repo puts atop a new override file. */
export const OVERRIDES_HEADER = `# This lockfile should be used to pin to a package version (\`type: pin\`) or to
# fast-track packages ahead of Bodhi (\`type: fast-track\`). Fast-tracked
# packages will automatically be removed once they are in the stable repos.
#
# IMPORTANT: YAML comments *will not* be preserved. All \`pin\` overrides *must*
# include a URL in the \`metadata.reason\` key. Overrides of type \`fast-track\`
# *should* include a Bodhi update URL in the \`metadata.bodhi\` key and a URL
# in the \`metadata.reason\` key, though it's acceptable to omit a \`reason\`
# for FCOS-specific packages (ignition, afterburn, etc.).
`;

/**
 * A scalar as plain YAML when that reads back as the same string, else double-quoted. A `#`
 * starts a comment only first or after whitespace: a URL's `#issuecomment-…` stays plain, as
 * the repo's own files write it.
 */
function scalar(v: string): string {
  try {
    if (v !== '' && !/^\s|\s$|^#|\s#|: /.test(v) && parseYaml(`x: ${v}`)?.x === v) return v;
  } catch {
    // Falls through to quoting.
  }
  return JSON.stringify(v);
}

/** Renders one entry the way the repo writes it. */
export function renderEntry(e: OverrideEntrySpec, indent: string): string[] {
  const lines = [`${indent}${scalar(e.name)}:`, `${indent}${indent}${e.key}: ${scalar(e.value)}`];
  const meta = (['bodhi', 'reason', 'type'] as const).filter((k) => e.metadata[k] !== undefined && e.metadata[k] !== '');
  if (meta.length) {
    lines.push(`${indent}${indent}metadata:`);
    for (const k of meta) lines.push(`${indent}${indent}${indent}${k}: ${scalar(e.metadata[k]!)}`);
  }
  return lines;
}

const isCommentLine = (line: string) => /^\s*#/.test(line);

/**
 * Applies changes one by one to the text of an override file (null: the file does not exist).
 * A file whose every line ends in CRLF is edited as LF text and turned back, so the lines an
 * edit adds end in CRLF like the rest; a file that mixes both keeps its bytes and gets LF lines.
 */
export function editOverridesText(text: string | null, changes: OverrideChange[], file: string): string {
  const crlf = text !== null && text.includes('\r\n') && !/(^|[^\r])\n/.test(text);
  let out = text === null || text.trim() === '' ? `${OVERRIDES_HEADER}\npackages:\n` : crlf ? text.replace(/\r\n/g, '\n') : text;
  for (const change of changes) out = applyOne(out, change, file);
  return crlf ? out.replace(/\n/g, '\r\n') : out;
}

/** Where the parts of an override file are, as 0-based line numbers. */
type Structure =
  | { kind: 'no-packages' }
  | { kind: 'empty'; keyLine: number; endLine: number }
  | { kind: 'entries'; keyLine: number; mapEnd: number; items: { name: string; first: number }[] };

/** The structure from the line scanner for the repo's own layout (fast on 32k entries). */
function quickStructure(text: string, lines: string[]): Structure | null {
  const layout = scanOverrideLayout(text);
  if (!layout) return null;
  const keyLine = layout.packagesLine;
  if (layout.entries.length === 0) return { kind: 'empty', keyLine, endLine: keyLine };
  let mapEnd = lines.length - 1;
  while (mapEnd > keyLine && (lines[mapEnd].trim() === '' || isCommentLine(lines[mapEnd]))) mapEnd--;
  return { kind: 'entries', keyLine, mapEnd, items: layout.entries.map((e) => ({ name: e.name, first: e.line })) };
}

/** The structure through the YAML library: any layout, and located errors. */
function yamlStructure(text: string, file: string): Structure {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  if (doc.errors.length) {
    const line = doc.errors[0].linePos?.[0]?.line;
    throw new AppError('bad-file', `${where({ file }, line)}: malformed YAML: ${doc.errors[0].message.split('\n')[0]}`, { file, line });
  }
  const lineOf = (offset: number) => lc.linePos(offset).line - 1;
  const root = doc.contents;
  let packagesPair: Pair | undefined;
  if (root && isMap(root)) {
    packagesPair = root.items.find((p) => isScalar(p.key) && p.key.value === 'packages') as Pair | undefined;
  } else if (root && !(isScalar(root) && root.value === null)) {
    throw new AppError('bad-file', `${file}: the override file must be a mapping with "packages"`, { file });
  }
  if (!packagesPair) return { kind: 'no-packages' };
  const value = packagesPair.value as YamlNode | null;
  const keyLine = lineOf((packagesPair.key as YamlNode).range![0]);
  const isEmpty =
    value === null ||
    (isScalar(value) && (value.value === null || value.value === '')) ||
    ((isMap(value) || isSeq(value)) && value.items.length === 0);
  if (isEmpty) {
    return { kind: 'empty', keyLine, endLine: value && value.range ? lineOf(Math.max(value.range[0], value.range[1] - 1)) : keyLine };
  }
  if (!isMap(value) || value.flow) {
    throw new AppError('bad-file', `${file}:${keyLine + 1}: "packages" must be a block mapping to be edited`, { file, line: keyLine + 1 });
  }
  return {
    kind: 'entries',
    keyLine,
    mapEnd: lineOf(Math.max(value.range![0], value.range![1] - 1)),
    items: value.items.map((p) => ({ name: isScalar(p.key) ? String(p.key.value) : String(p.key), first: lineOf((p.key as YamlNode).range![0]) })),
  };
}

function applyOne(text: string, change: OverrideChange, file: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const finish = (ls: string[]) => `${ls.join('\n')}\n`;
  const found = quickStructure(text, lines) ?? yamlStructure(text, file);
  if (found.kind === 'no-packages') {
    if (change.op === 'remove') return text;
    return finish([...lines, 'packages:', ...renderEntry(change.entry, '  ')]);
  }
  const keyLine = found.keyLine;
  if (found.kind === 'empty') {
    if (change.op === 'remove') return text;
    // `packages:`, `packages: []` and `packages: {}` all become a block mapping.
    const comment = /\s+#.*$/.exec(lines[found.endLine] ?? '')?.[0] ?? '';
    return finish([
      ...lines.slice(0, keyLine),
      `packages:${comment}`,
      ...renderEntry(change.entry, '  '),
      ...lines.slice(found.endLine + 1),
    ]);
  }
  const mapEnd = found.mapEnd;
  const items = found.items.map(({ name, first }) => {
    let lead = first;
    while (lead - 1 > keyLine && isCommentLine(lines[lead - 1])) lead--;
    return { name, first, lead };
  });
  const indent = /^(\s*)/.exec(lines[items[0].first])![1] || '  ';
  // An entry's own lines run to the line before the next entry's leading comments.
  const lastLine = (i: number) => {
    let end = i + 1 < items.length ? items[i + 1].lead - 1 : mapEnd;
    while (end > items[i].first && (lines[end].trim() === '' || (isCommentLine(lines[end]) && i + 1 >= items.length))) end--;
    return end;
  };
  const name = change.op === 'set' ? change.entry.name : change.name;
  // Duplicate keys exist in real history; the last one is what rpm-ostree saw.
  let idx = -1;
  items.forEach((it, i) => {
    if (it.name === name) idx = i;
  });
  if (change.op === 'remove') {
    if (idx < 0) return text;
    const dups = items.map((it, i) => ({ it, i })).filter(({ it }) => it.name === name).reverse();
    let ls = lines;
    for (const { it, i } of dups) ls = [...ls.slice(0, it.lead), ...ls.slice(lastLine(i) + 1)];
    if (dups.length === items.length) {
      // The last entry went: keep the file valid as an empty mapping.
      ls = ls.map((l, k) => (k === keyLine ? l.replace(/^packages:(\s*)(#.*)?$/, (_m, sp, c) => `packages: {}${c ? sp + c : ''}`) : l));
    }
    return finish(ls);
  }
  const rendered = renderEntry(change.entry, indent);
  if (idx >= 0) return finish([...lines.slice(0, items[idx].first), ...rendered, ...lines.slice(lastLine(idx) + 1)]);
  const next = items.findIndex((it) => it.name > name);
  if (next >= 0) return finish([...lines.slice(0, items[next].lead), ...rendered, ...lines.slice(items[next].lead)]);
  const end = lastLine(items.length - 1);
  return finish([...lines.slice(0, end + 1), ...rendered, ...lines.slice(end + 1)]);
}
