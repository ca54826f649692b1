/**
 * The repo's rules for override entries, from its own header and tooling. One validator drives
 * the draft form, the editor's inline markers and the CLI: it returns findings, never throws.
 */
import { unknownKeys } from './unknown-keys';
import { AppError } from '../errors';
import { own } from '../records';
import { parseOverrides } from '../lockfile/overrides';
import type { OverrideEntry, Snapshot } from '../lockfile/types';
import { ENTRY_RULES } from './rules';
import { distRelease, isUrl, type EntryFields, type Finding, type ValidationContext } from './rules/rule';

export { DISTRO_OWN_SOURCES, distRelease, isUrl, type EntryFields, type Finding, type Severity, type ValidationContext } from './rules/rule';

/** A Bodhi update URL: `https://bodhi.fedoraproject.org/updates/FEDORA-2024-xxxxxxxxxx`. */
export function isBodhiUrl(s: string | undefined): boolean {
  return isUrl(s) && /\/updates\/[A-Za-z0-9-]+\/?(?:[?#].*)?$/.test(s!);
}

/** The most common `.fcNN` among a lockfile's packages: the stream's release. */
export function streamRelease(evrs: Iterable<string>): number | null {
  const counts = new Map<number, number>();
  for (const evr of evrs) {
    const r = distRelease(evr.slice(evr.lastIndexOf('-') + 1));
    if (r !== null) counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  let best: number | null = null;
  let bestCount = 0;
  for (const [r, c] of counts) {
    if (c > bestCount || (c === bestCount && best !== null && r > best)) {
      best = r;
      bestCount = c;
    }
  }
  return best;
}

/** A stream head's release: the most common `.fcNN` of its x86_64 lockfile (else its first one). */
export function snapshotRelease(head: Snapshot): number | null {
  const lock = head.lockfiles.x86_64 ?? Object.values(head.lockfiles)[0];
  return lock ? streamRelease(Object.values(lock.packages).map((e) => e.evr)) : null;
}

/** Checks one override entry against the repo's rules (`rules/`), in the order they are listed. */
export function validateEntry(e: EntryFields | OverrideEntry, ctx: ValidationContext = {}): Finding[] {
  return ENTRY_RULES.map((rule) => rule(e, ctx)).filter((f): f is Finding => f !== null);
}

/** Validates an override file's text: syntax first, then every entry. */
export function validateOverridesText(text: string, file: string, ctx: ValidationContext = {}): Finding[] {
  // A misspelt key reads as nothing: named first, whether or not the rest parses.
  const unknown = unknownKeys(text);
  let parsed;
  try {
    parsed = parseOverrides(text, { file });
  } catch (err) {
    if (err instanceof AppError) return [...unknown, { severity: 'error', message: err.message, line: err.data.line, package: err.data.package }];
    throw err;
  }
  const lines = text.split('\n');
  // Each key line's last place, found in one pass (a regex per entry made 32k entries take minutes).
  const lastLine = new Map<string, number>();
  lines.forEach((l, i) => {
    const m = /^\s+(\S+?):\s*$/.exec(l);
    if (m) lastLine.set(m[1], i + 1);
  });
  const lineOf = (name: string) => lastLine.get(name);
  const out: Finding[] = [...unknown];
  const counts = new Map<string, number>();
  for (const l of lines) {
    const m = /^ {1,4}([A-Za-z0-9._+-]+):\s*$/.exec(l);
    if (m) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  }
  for (const [name, n] of counts) {
    if (n > 1 && own(parsed.entries, name)) {
      out.push({ severity: 'warning', package: name, line: lineOf(name), message: `${name} is listed ${n} times; the last one wins` });
    }
  }
  for (const e of Object.values(parsed.entries)) out.push(...validateEntry({ ...e, line: lineOf(e.name) }, ctx));
  return out;
}

/** True when findings hold an error (the draft cannot be saved). */
export const hasErrors = (findings: Finding[]): boolean => findings.some((f) => f.severity === 'error');
