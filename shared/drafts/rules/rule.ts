/**
 * What an override-entry rule is: a small function from one entry (and what is known of the
 * stream) to a finding or nothing. Each rule lives in a file of its own beside this one, with its
 * test; `ENTRY_RULES` (index.ts) lists them in the order their findings are shown.
 */
import type { OverrideEntry } from '../../lockfile/types';

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

/** The Fedora release of a dist tag in a release string (`1.fc40.4` → 40), or null. */
export function distRelease(release: string | null | undefined): number | null {
  const m = /\.fc(\d+)/.exec(release ?? '');
  return m ? Number(m[1]) : null;
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

/** One rule: a finding about the entry, or null when the rule has nothing to say. */
export type EntryRule = (e: EntryFields | OverrideEntry, ctx: ValidationContext) => Finding | null;

/** A finding about an entry, placed at its package and line. */
export function findingAt(e: EntryFields | OverrideEntry, severity: Severity, field: Finding['field'], message: string): Finding {
  return { package: e.name, line: (e as EntryFields).line, severity, field, message };
}
