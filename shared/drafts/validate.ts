/**
 * The repo's rules for override entries, from its own header and tooling. One validator drives
 * the draft form, the editor's inline markers and the CLI: it returns findings, never throws.
 */
import { AppError } from '../errors';
import { own } from '../records';
import { parseOverrides } from '../lockfile/overrides';
import type { OverrideEntry, Snapshot } from '../lockfile/types';

export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  message: string;
  package?: string;
  field?: 'evr' | 'evra' | 'type' | 'reason' | 'bodhi';
  /** 1-based line in the file, when known. */
  line?: number;
}

/** Source packages the distro builds itself: a fast-track of these may omit `reason`. */
export const DISTRO_OWN_SOURCES: readonly string[] = [
  'console-login-helper-messages',
  'ignition',
  'ostree',
  'rpm-ostree',
  'rust-afterburn',
  'rust-bootupd',
  'rust-coreos-installer',
  // In the upstream ci/overrides.py list (TRIVIAL_FAST_TRACKS) though retired since.
  'rust-fedora-coreos-pinger',
  'rust-ignition-config',
  'rust-zincati',
];

/** True for an absolute http(s) URL. */
export function isUrl(s: string | undefined): boolean {
  // A regex rather than URL(): shared/ runs where no URL global is declared.
  return !!s && /^https?:\/\/[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d+)?(?:[/?#][^\s]*)?$/.test(s);
}

/** A Bodhi update URL: `https://bodhi.fedoraproject.org/updates/FEDORA-2024-xxxxxxxxxx`. */
export function isBodhiUrl(s: string | undefined): boolean {
  return isUrl(s) && /\/updates\/[A-Za-z0-9-]+\/?(?:[?#].*)?$/.test(s!);
}

/** The Fedora release of a dist tag in a release string (`1.fc40.4` → 40), or null. */
export function distRelease(release: string | null | undefined): number | null {
  const m = /\.fc(\d+)/.exec(release ?? '');
  return m ? Number(m[1]) : null;
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

export interface ValidationContext {
  /** Source package name of a binary, when known (from the stream's lockfiles). */
  sourceOf?: (name: string) => string | undefined;
  /** The stream's Fedora release, for the dist-tag check. */
  release?: number | null;
  /** Source packages whose fast-track needs no reason; default DISTRO_OWN_SOURCES. */
  ownSources?: readonly string[];
}

export interface EntryFields {
  name: string;
  evr: string;
  type: string | null;
  reason?: string;
  bodhi?: string;
  line?: number;
}

/** Checks one override entry against the repo's rules. */
export function validateEntry(e: EntryFields | OverrideEntry, ctx: ValidationContext = {}): Finding[] {
  const out: Finding[] = [];
  const at = { package: e.name, line: (e as EntryFields).line };
  const source = ctx.sourceOf?.(e.name) ?? e.name;
  if (e.type === null || e.type === undefined) {
    out.push({ ...at, severity: 'warning', field: 'type', message: `${e.name}: no metadata.type; use "pin" or "fast-track"` });
  } else if (e.type !== 'pin' && e.type !== 'fast-track') {
    out.push({ ...at, severity: 'warning', field: 'type', message: `${e.name}: unknown metadata.type "${e.type}"; use "pin" or "fast-track"` });
  }
  if (e.reason !== undefined && !isUrl(e.reason)) {
    out.push({ ...at, severity: 'error', field: 'reason', message: `${e.name}: metadata.reason must be a URL, got "${e.reason}"` });
  }
  if (e.bodhi !== undefined && !isUrl(e.bodhi)) {
    out.push({ ...at, severity: 'error', field: 'bodhi', message: `${e.name}: metadata.bodhi must be a Bodhi update URL, got "${e.bodhi}"` });
  }
  if (e.type === 'pin' && e.reason === undefined) {
    out.push({ ...at, severity: 'error', field: 'reason', message: `${e.name}: a pin must carry metadata.reason, a URL saying why` });
  }
  if (e.type === 'fast-track') {
    if (e.bodhi === undefined) {
      out.push({ ...at, severity: 'warning', field: 'bodhi', message: `${e.name}: a fast-track should carry metadata.bodhi, the Bodhi update URL` });
    }
    if (e.reason === undefined && !(ctx.ownSources ?? DISTRO_OWN_SOURCES).includes(source)) {
      out.push({ ...at, severity: 'warning', field: 'reason', message: `${e.name}: a fast-track should carry metadata.reason, a URL saying why` });
    }
  }
  if (ctx.release) {
    const r = distRelease(e.evr.slice(e.evr.lastIndexOf('-') + 1));
    if (r !== null && r !== ctx.release) {
      out.push({ ...at, severity: 'warning', field: 'evr', message: `${e.name}: ${e.evr} is built for fc${r}, the stream is on fc${ctx.release}` });
    }
  }
  return out;
}

/** Validates an override file's text: syntax first, then every entry. */
export function validateOverridesText(text: string, file: string, ctx: ValidationContext = {}): Finding[] {
  let parsed;
  try {
    parsed = parseOverrides(text, { file });
  } catch (err) {
    if (err instanceof AppError) return [{ severity: 'error', message: err.message, line: err.data.line, package: err.data.package }];
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
  const out: Finding[] = [];
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
