/** Plain-data types that cross the API between the UI and the back end. */
import type { ArchDiff } from '../lockfile/diff';

/** One row of the streams overview. */
export interface StreamSummary {
  name: string;
  /** The full ref the stream resolved to (remote-tracking when it exists). */
  ref: string;
  head: string;
  /** Committer date of the head, as git's `%cI`. */
  date: string;
  subject: string;
  /** Packages in each arch's lockfile. */
  arches: Record<string, number>;
  overrides: { pin: number; 'fast-track': number; other: number };
  /** The stream this one is promoted from, if any. */
  source: string | null;
  /** First-parent commits on the source since the newest one with this head's lock files; null: unknown. */
  behind: number | null;
}

/** One side of a diff as resolved. */
export interface DiffSideInfo {
  input: string;
  ref: string;
  commit: string;
  date: string;
  subject: string;
}

export interface DiffRequest {
  from: string;
  to: string;
  /** Arches to diff; default every arch either side has. */
  arches?: string[];
  /** Apply overrides (default true). */
  overrides?: boolean;
}

export interface DiffResult {
  from: DiffSideInfo;
  to: DiffSideInfo;
  overrides: boolean;
  arches: ArchDiff[];
}
