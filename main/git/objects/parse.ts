/** Parsing of git commit and tree objects, and git's date format. */
import { AppError } from '../../../shared/errors';

export interface Signature {
  name: string;
  email: string;
  /** Unix seconds. */
  timestamp: number;
  /** The offset as written, `+0200`. */
  tzOffset: string;
}

export interface Commit {
  oid: string;
  tree: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  message: string;
}

export interface TreeEntry {
  mode: string;
  /** The name as text; lossy (U+FFFD) when the bytes are not UTF-8, which `raw` then keeps. */
  name: string;
  oid: string;
  type: 'blob' | 'tree' | 'commit';
  /** The name's bytes, present only when they are not valid UTF-8, so a rewrite keeps them. */
  raw?: Buffer;
}

const SIG_RE = /^(.*) <([^>]*)> (-?\d+) ([+-]\d{4})$/;

function parseSignature(oid: string, line: string): Signature {
  const m = SIG_RE.exec(line);
  if (!m) return { name: line, email: '', timestamp: 0, tzOffset: '+0000' };
  return { name: m[1], email: m[2], timestamp: Number(m[3]), tzOffset: m[4] };
}

/** Parses a commit object's body. */
export function parseCommit(oid: string, data: Buffer): Commit {
  const text = data.toString('utf8');
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const message = end < 0 ? '' : text.slice(end + 2);
  let tree = '';
  const parents: string[] = [];
  let author: Signature | null = null;
  let committer: Signature | null = null;
  for (const line of head.split('\n')) {
    // Continuation lines (gpgsig, mergetag) start with a space.
    if (line.startsWith(' ')) continue;
    const sp = line.indexOf(' ');
    const key = line.slice(0, sp);
    const value = line.slice(sp + 1);
    if (key === 'tree') tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author') author = parseSignature(oid, value);
    else if (key === 'committer') committer = parseSignature(oid, value);
  }
  if (!tree || !committer) throw new AppError('repo', `commit ${oid} is malformed: no tree or committer`, { commit: oid });
  return { oid, tree, parents, author: author ?? committer, committer, message };
}

/** Parses a tree object's entries. */
export function parseTree(data: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    const nul = data.indexOf(0, sp);
    const mode = data.toString('latin1', i, sp);
    const name = data.toString('utf8', sp + 1, nul);
    const oid = data.toString('hex', nul + 1, nul + 21);
    const type = mode === '40000' || mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    const raw = notUtf8(data, sp + 1, nul, name);
    entries.push(raw ? { mode, name, oid, type, raw } : { mode, name, oid, type });
    i = nul + 21;
  }
  return entries;
}

/** The name's bytes when decoding them as UTF-8 lost something; ASCII names (nearly all) cost one scan. */
function notUtf8(data: Buffer, start: number, end: number, decoded: string): Buffer | undefined {
  let ascii = true;
  for (let i = start; i < end && ascii; i++) ascii = data[i] < 0x80;
  if (ascii) return undefined;
  const bytes = data.subarray(start, end);
  return Buffer.from(decoded, 'utf8').equals(bytes) ? undefined : Buffer.from(bytes);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A signature's date as git's `%cI` prints it: in its own offset, no fractions. */
export function formatGitDate(sig: Signature): string {
  const sign = sig.tzOffset[0] === '-' ? -1 : 1;
  const hh = Number(sig.tzOffset.slice(1, 3));
  const mm = Number(sig.tzOffset.slice(3, 5));
  const local = new Date((sig.timestamp + sign * (hh * 3600 + mm * 60)) * 1000);
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  // git prints "-0000" as "+00:00" too.
  const tzSign = sign < 0 && hh + mm > 0 ? '-' : '+';
  return `${date}T${time}${tzSign}${pad(hh)}:${pad(mm)}`;
}
