/** Plain-data types that cross the API between the UI and the back end. */
import type { DraftOp, DraftState } from '../drafts/lifecycle';
import type { Finding } from '../drafts/validate';
import type { ArchDiff } from '../lockfile/diff';
import type { BuildTargets } from '../drafts/plan';

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
  /** The commit before the head's newest first-parent change of a lock file (lockfile or overrides): its last lockfile change is this → head; null: none found. */
  lastLockChange: string | null;
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

/** One change of a package's effective version along a stream's first-parent chain. */
export interface HistoryEntry {
  commit: string;
  date: string;
  evr: string | null;
  arch: string | null;
  subject: string;
  author: { name: string; email: string };
  message: string;
  /** For a merge: the commits it brought in. */
  merged?: { commit: string; subject: string }[];
  /** Set when an override decided this version. */
  override?: { type: string; file: string };
}

export interface HistoryRequest {
  /** A binary or source package name. */
  name: string;
  /** Streams to chart (default: every stream). */
  streams?: string[];
  arch?: string;
}

/** One binary's version at a commit of a lane. */
export interface HistoryChange {
  name: string;
  evr: string | null;
  arch: string | null;
  /** Set when an override decided this version. */
  override?: { type: string; file: string };
}

/**
 * One commit of a lane as the history view lists it: every binary it moved folded in. The
 * whole message is asked for when a row is opened (`history:commit`), not sent for every row.
 */
export interface HistoryRow {
  commit: string;
  date: string;
  subject: string;
  author: string;
  /** For a merge: the commits it brought in. */
  merged?: { commit: string; subject: string }[];
  /** In binary name order. */
  changes: HistoryChange[];
}

/** The history of one package (or every binary of a source package) on each stream. */
export interface HistoryResult {
  name: string;
  arch: string;
  /** The binaries shown (one for a binary package). */
  binaries: string[];
  source: string | null;
  /** Newest commit first. */
  lanes: { stream: string; rows: HistoryRow[] }[];
}

/** A commit a history lane lists, once for every lane that lists it. */
export interface HistoryCommit {
  commit: string;
  date: string;
  subject: string;
  author: string;
  /** For a merge: the commits it brought in. */
  merged?: { commit: string; subject: string }[];
}

/** A binary's version as a history row shows it: a HistoryChange without the binary's name. */
export interface HistoryVersion {
  evr: string | null;
  arch: string | null;
  override?: { type: string; file: string };
}

/**
 * `history:package`'s answer as it crosses the bridge: each commit, version and row's set of
 * changes once, lanes as indexes into them (the rows of kernel at 10× history were 8 MB of JSON:
 * 17,000 rows of 4,700 commits, four binaries repeating one version on each).
 * `decodeHistory` (shared/history/answer.ts) gives back the HistoryResult.
 */
export interface HistoryAnswer {
  name: string;
  arch: string;
  binaries: string[];
  source: string | null;
  commits: HistoryCommit[];
  versions: HistoryVersion[];
  /** A row's changes, flat: index in `binaries`, index in `versions`, … (binaries in name order). */
  changeSets: number[][];
  /** Newest commit first: row i is `commits[commit[i]]` with `changeSets[changes[i]]`. */
  lanes: { stream: string; commit: number[]; changes: number[] }[];
}

export type DraftType = 'pin' | 'fast-track' | 'unpin' | 'graduate' | 'edit';

export interface DraftRequestData {
  stream: string;
  action: 'pin' | 'fast-track' | 'unpin';
  requests: { name: string; evr?: string }[];
  reason?: string;
  bodhi?: string;
  arch?: string;
  message?: string;
  signoff?: boolean;
  note?: string;
  branch?: string;
  /** Builds resolved from Bodhi/Koji: each binary's target per lockfile arch (recorded for rebase). */
  builds?: BuildTargets[];
  /** Source packages whose fast-track needs no reason (settings). */
  ownSources?: string[];
  /**
   * The stream head the preview was read at. A save carrying it is refused as stale when the
   * stream moved since, so what is saved is what was previewed.
   */
  base?: string;
  /** When the draft replaces an override: keep that override's reason link (and Bodhi link) if this request gives none. */
  keepReason?: boolean;
}

/** A draft as stored in `.git/lockstep/drafts/`. */
export interface DraftRecord {
  branch: string;
  stream: string;
  base: string;
  head: string;
  type: DraftType;
  /** binary -> evr (or noarch evra) in the all-arch file. */
  packages: Record<string, string>;
  /** binary -> arch -> evra in the arch files. */
  perArch?: Record<string, Record<string, string>>;
  srpms: string[];
  files: string[];
  message: string;
  createdAt: string;
  /** Where it is in its life (shared/drafts/lifecycle.ts). */
  state: DraftState;
  request?: DraftRequestData;
  /** The remote branch name to push as, when the user chose one. */
  pushAs?: string;
  /** Set once pushed for CI gating. */
  push?: { remote: string; remoteBranch: string; commit: string; prUrl: string | null; pushedAt: string };
}

export interface DraftView extends DraftRecord {
  /** Its base is not the stream head. */
  stale: boolean;
  /** Its branch holds another commit than the one Lockstep wrote (`head` is that commit; `written` Lockstep's). */
  edited: boolean;
  written: string;
  /** Other drafts of the same stream touching one of its packages. */
  conflictsWith: string[];
  /** It was pushed, and its head is no longer the pushed commit (rebased since). */
  needsPush: boolean;
  streamHead: string | null;
  /** What the user may do now, from the lifecycle table. */
  allowed: DraftOp[];
}

/** A planned draft, not yet written: what the form previews. */
export interface DraftPreview {
  stream: string;
  base: string;
  message: string;
  packages: Record<string, string>;
  perArch: Record<string, Record<string, string>>;
  notes: string[];
  findings: Finding[];
  /** file -> [before (null: new file), after] */
  texts: Record<string, [string | null, string]>;
  effect: ArchDiff[];
  /** Drafts of this stream that already touch one of its packages (saving makes two that conflict). */
  conflictsWith?: string[];
}

/** Versions of a package seen in the streams' history, for the draft form's picker. */
export interface VersionChoice {
  evr: string;
  /** Streams whose history had this version. */
  streams: string[];
  /** Streams whose head has it now ("backport from stream X" proposes these). */
  current: string[];
}

export interface RebaseResult {
  status: 'up-to-date' | 'rebased' | 'redundant' | 'conflict';
  /** Requests dropped because the new base already has (or passes) their version. */
  redundant: string[];
  /** Packages someone else overrode since the draft was based. */
  conflicts: string[];
  draft: DraftView;
}

/** A raw edit of lock files saved as a draft. */
export interface RawEditRequest {
  stream: string;
  /** The commit the texts were read at (default the stream head): the draft's base. */
  base?: string;
  /** file name -> the whole new text */
  files: Record<string, string>;
  message: string;
  signoff?: boolean;
}

/** One draft in full, for its info view. */
export interface DraftInfo {
  draft: DraftView;
  /** Unified diffs of the files the draft changes, against its base. */
  diffs: { file: string; diff: string }[];
  /** The push remote's name and URL (without credentials). */
  pushRemote: { name: string; url: string | null };
  /** The pull request the push opens: title and body (rationale, effect per arch, links), to copy. */
  pullRequest: { title: string; body: string };
}

/** One file other than the lock files that differs between two refs (`review:otherFiles`). */
export interface OtherFileChange {
  path: string;
  status: 'added' | 'removed' | 'modified';
  /** A binary or very large file: listed, with no diff. */
  binary: boolean;
  /** Unified diff (`--- a/path` / `+++ b/path`, 3 lines of context); '' when binary. */
  diff: string;
  added: number;
  removed: number;
  /** The diff was cut to its first lines. */
  truncated: boolean;
}

/** The non-lock files that differ between two refs: a promotion's other changes (denylist, manifests...). */
export interface OtherFilesResult {
  /** The commits compared. */
  from: string;
  to: string;
  files: OtherFileChange[];
  /** Files left out past the listing limit. */
  more: number;
}
