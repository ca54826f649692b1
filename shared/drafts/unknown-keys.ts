/**
 * Keys an override file does not know, with their line: a misspelt `evrr:` or `metdata:` is read
 * as nothing at all (the entry loses its version or its reason without a word), so it is named.
 * Read from the block layout the repo writes (indentation nests keys); flow-style YAML is left to
 * the parser.
 */
import type { Finding } from './rules/rule';

const TOP = ['packages'];
const ENTRY = ['evr', 'evra', 'metadata'];
const METADATA = ['type', 'reason', 'bodhi'];

/** The known key a typo most likely meant (at most two edits away), for the message. */
function nearest(key: string, known: readonly string[]): string | undefined {
  const dist = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length][b.length];
  };
  return known.map((k) => ({ k, d: dist(key, k) })).filter((x) => x.d <= 2).sort((x, y) => x.d - y.d)[0]?.k;
}

/** Findings for every key outside `packages` → name → {evr | evra | metadata} → {type, reason, bodhi}. */
export function unknownKeys(text: string): Finding[] {
  const out: Finding[] = [];
  /** The keys above the line being read: indentation and name. */
  const stack: { indent: number; key: string }[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /^( *)([^\s#:'"{}[\]-][^:#]*?):(?:\s|$)/.exec(line);
    if (!m) return;
    const indent = m[1].length;
    const key = m[2];
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    const path = stack.map((s) => s.key);
    stack.push({ indent, key });
    const flag = (known: readonly string[], where: string, pkg?: string) => {
      if (known.includes(key)) return;
      const hint = nearest(key, known);
      out.push({
        severity: 'error',
        line: i + 1,
        package: pkg,
        message: `unknown key "${key}"${where}${hint ? `: did you mean "${hint}"?` : `; known keys: ${known.join(', ')}`}`,
      });
    };
    if (path.length === 0) flag(TOP, '');
    else if (path[0] !== 'packages') return;
    else if (path.length === 2) flag(ENTRY, ` in ${path[1]}`, path[1]);
    else if (path.length === 3 && path[2] === 'metadata') flag(METADATA, ` in ${path[1]}'s metadata`, path[1]);
  });
  return out;
}
