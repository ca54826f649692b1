/**
 * The three per-stream rules of a promotion, exactly as release engineering's
 * `scripts/promote-config.sh` (coreos/fedora-coreos-releng-automation) applies them and the
 * config repo's promotion-diff check re-applies them: the target keeps its own
 * `manifest.yaml`, its own `STREAM=` and `DESCRIPTION=` lines of `build-args.conf`, and the
 * source's `kola-denylist.yaml` comes with its snoozes and warns commented out. Texts are
 * handled as the script's sed sees them: one byte per character (callers decode Latin-1), so
 * any bytes come out as they went in.
 */
import { AppError } from '../errors';

export const MANIFEST_FILE = 'manifest.yaml';
export const BUILD_ARGS_FILE = 'build-args.conf';
export const DENYLIST_FILE = 'kola-denylist.yaml';

/** The promotion commit's subject, as the script writes it; the PR title is the same. */
export function promotionSubject(source: string, commit: string): string {
  return `tree: promote changes from ${source} at ${commit}`;
}

/** The check keys on this title (its last word is the source commit). */
export function isPromotionSubject(subject: string): boolean {
  return /^tree: promote changes from \S+ at [0-9a-f]{40}$/.test(subject);
}

/** `[[:space:]]` of the C locale: JavaScript's `\s` also takes Unicode spaces sed does not. */
const SP = '[ \\t\\v\\f\\r]';
// sed -E 's/^(\s+)((snooze:|warn:)\s+.*)/\1# \2 (disabled on promotion)/'; `.` of sed never
// crosses a line but takes a trailing \r, so `[^\n]*` and not JavaScript's `.`.
const SNOOZE_LINE = new RegExp(`^(${SP}+)((snooze:|warn:)${SP}+[^\\n]*)$`);

export interface DenylistResult {
  text: string;
  /** 1-based numbers of the lines commented out. */
  lines: number[];
}

/**
 * The script's sed on `kola-denylist.yaml`: every line that is indentation then `snooze:` or
 * `warn:`, whitespace and a value becomes `<indent># <rest> (disabled on promotion)`. A line
 * starting with `#` (or whose `#` follows the indentation) is left as it is, so a second
 * promotion changes nothing.
 */
export function disableSnoozes(text: string): DenylistResult {
  const lines: number[] = [];
  const out = text.split('\n').map((line, i) => {
    const m = SNOOZE_LINE.exec(line);
    if (!m) return line;
    lines.push(i + 1);
    return `${m[1]}# ${m[2]} (disabled on promotion)`;
  });
  return { text: out.join('\n'), lines };
}

export interface KeptLine {
  key: 'STREAM' | 'DESCRIPTION';
  /** 1-based line in the promoted file. */
  line: number;
  source: string;
  /** The line as promoted: the target's own, with any `&` read as sed does. */
  target: string;
  /** The target's own line, as `grep` gave it. */
  own: string;
}

export interface BuildArgsResult {
  text: string;
  /** Lines of the source's file that now read as the target's (same text included). */
  kept: KeptLine[];
}

/** Where a build-args.conf was read, for errors. */
export interface FilePlace {
  stream: string;
  commit: string;
}

/**
 * The target's line for `key`, as `grep '^KEY=' build-args.conf` gives it to the script. The
 * script stops when there is none (grep fails under `set -e`) and sed cannot take several lines
 * or a `|` or `\` in its replacement: each is refused here, naming the file, so nothing
 * half-made is written.
 */
function targetLine(target: string, key: KeptLine['key'], at: FilePlace): string {
  const found = target.split('\n').filter((l) => l.startsWith(`${key}=`));
  const where = `${at.stream}'s ${BUILD_ARGS_FILE} (at ${at.commit.slice(0, 12)})`;
  if (found.length === 0) {
    throw new AppError('bad-file', `${where} has no ${key}= line: the promotion keeps the target's ${key}= line and cannot tell it; add it there first`, { file: BUILD_ARGS_FILE, commit: at.commit, ref: at.stream });
  }
  if (found.length > 1) {
    throw new AppError('bad-file', `${where} has ${found.length} ${key}= lines: release engineering's script cannot promote onto it; keep one`, { file: BUILD_ARGS_FILE, commit: at.commit, ref: at.stream });
  }
  const line = found[0];
  const bad = /[|\\\n]/.exec(line);
  if (bad) {
    const no = target.split('\n').indexOf(line) + 1;
    throw new AppError('bad-file', `${where} line ${no}: "${bad[0]}" in the ${key}= line breaks the script's sed; remove it there first`, { file: BUILD_ARGS_FILE, commit: at.commit, ref: at.stream, line: no });
  }
  return line;
}

/**
 * The script's `sed -i "s|^STREAM=.*|${stream}|"` (then the same for DESCRIPTION=) on the
 * source's file, with the target's lines: every source line starting `KEY=` becomes the
 * target's line, where an `&` stands for the source line as sed reads it.
 */
export function keepStreamLines(source: string, target: string, at: FilePlace): BuildArgsResult {
  const lines = source.split('\n');
  const kept: KeptLine[] = [];
  for (const key of ['STREAM', 'DESCRIPTION'] as const) {
    const replacement = targetLine(target, key, at);
    lines.forEach((l, i) => {
      if (!l.startsWith(`${key}=`)) return;
      const next = replacement.replace(/&/g, () => l);
      kept.push({ key, line: i + 1, source: l, target: next, own: replacement });
      lines[i] = next;
    });
  }
  return { text: lines.join('\n'), kept: kept.sort((a, b) => a.line - b.line) };
}
