/**
 * The history answer as it crosses the bridge (HistoryAnswer): each commit, version and row's
 * set of changes once, lanes as indexes into them. The back end builds it row by row; the
 * renderer decodes it into the HistoryResult the view folds, rows sharing their commit's and
 * their changes' objects.
 */
import type { HistoryAnswer, HistoryChange, HistoryCommit, HistoryResult, HistoryRow, HistoryVersion } from '../api/types';
import { splitState, type PackageState } from './fold';
import type { DeepReadonly } from '../readonly';

/**
 * Builds a HistoryAnswer one row at a time, newest first in each lane. Commits are named by a
 * key (an oid, an index row) and read once at the end; a row's changes come in binary name order.
 */
export class HistoryAnswerBuilder<K> {
  private readonly commitAt = new Map<K, number>();
  private readonly commitKeys: K[] = [];
  private readonly binaryAt = new Map<string, number>();
  private readonly binaryNames: string[] = [];
  private readonly versionAt = new Map<string, number>();
  private readonly versions: HistoryVersion[] = [];
  private readonly setAt = new Map<string, number>();
  private readonly sets: number[][] = [];
  private readonly lanes: HistoryAnswer['lanes'] = [];
  /** The open row's changes, flat (binary, version, …), and the lane it goes to. */
  private open: number[] | null = null;
  private openLane: HistoryAnswer['lanes'][number] | null = null;

  /** Starts a lane; its rows follow. */
  lane(stream: string): void {
    this.close();
    this.openLane = { stream, commit: [], changes: [] };
    this.lanes.push(this.openLane);
  }

  /** Starts a row of the current lane: the commit `key` (same key, same commit in every lane). */
  row(key: K): void {
    if (!this.openLane) throw new Error('HistoryAnswerBuilder: a row before any lane');
    this.close();
    let c = this.commitAt.get(key);
    if (c === undefined) {
      c = this.commitKeys.length;
      this.commitAt.set(key, c);
      this.commitKeys.push(key);
    }
    this.openLane.commit.push(c);
    this.open = [];
  }

  /** A binary's version at the open row: its state (`evr.arch`, `''` when absent) and override. */
  change(binary: string, state: PackageState, override?: { type: string; file: string } | null): void {
    if (!this.open) throw new Error('HistoryAnswerBuilder: a change before any row');
    let b = this.binaryAt.get(binary);
    if (b === undefined) {
      b = this.binaryNames.length;
      this.binaryAt.set(binary, b);
      this.binaryNames.push(binary);
    }
    const key = override ? `${state}\n${override.type}\n${override.file}` : state;
    let v = this.versionAt.get(key);
    if (v === undefined) {
      v = this.versions.length;
      this.versionAt.set(key, v);
      const version: HistoryVersion = splitState(state);
      if (override) version.override = { type: override.type, file: override.file };
      this.versions.push(version);
    }
    this.open.push(b, v);
  }

  private close(): void {
    if (!this.open || !this.openLane) return;
    const key = this.open.join(',');
    let s = this.setAt.get(key);
    if (s === undefined) {
      s = this.sets.length;
      this.setAt.set(key, s);
      this.sets.push(this.open);
    }
    this.openLane.changes.push(s);
    this.open = null;
  }

  /** The commits the rows named, in the order `finish` wants them. */
  keys(): readonly K[] {
    this.close();
    return this.commitKeys;
  }

  /**
   * The answer: `binaries` (every binary a change named, in name order) and `commits` (one per
   * key of `keys()`, in that order) complete it.
   */
  finish(head: { name: string; arch: string; source: string | null; binaries: readonly string[] }, commits: HistoryCommit[]): HistoryAnswer {
    this.close();
    if (commits.length !== this.commitKeys.length) throw new Error(`HistoryAnswerBuilder: ${this.commitKeys.length} commits named, ${commits.length} given`);
    // Binaries were numbered as met; the answer numbers them by their place in `binaries`.
    const to = this.binaryNames.map((n) => {
      const i = head.binaries.indexOf(n);
      if (i < 0) throw new Error(`HistoryAnswerBuilder: ${n} is not among the binaries`);
      return i;
    });
    if (to.some((t, i) => t !== i)) for (const s of this.sets) for (let i = 0; i < s.length; i += 2) s[i] = to[s[i]];
    return { name: head.name, arch: head.arch, binaries: [...head.binaries], source: head.source, commits, versions: this.versions, changeSets: this.sets, lanes: this.lanes };
  }
}

/** The HistoryResult an answer stands for; rows share their commit's `merged` and their set of changes. */
export function decodeHistory(a: DeepReadonly<HistoryAnswer>): DeepReadonly<HistoryResult> {
  const sets = a.changeSets.map((s) => {
    const changes: DeepReadonly<HistoryChange>[] = [];
    for (let i = 0; i < s.length; i += 2) {
      const v = a.versions[s[i + 1]];
      changes.push(v.override ? { name: a.binaries[s[i]], evr: v.evr, arch: v.arch, override: v.override } : { name: a.binaries[s[i]], evr: v.evr, arch: v.arch });
    }
    return changes;
  });
  const lanes = a.lanes.map((l) => {
    const rows: DeepReadonly<HistoryRow>[] = new Array(l.commit.length);
    for (let i = 0; i < rows.length; i++) {
      const c = a.commits[l.commit[i]];
      const row = { commit: c.commit, date: c.date, subject: c.subject, author: c.author, changes: sets[l.changes[i]] };
      rows[i] = c.merged ? { ...row, merged: c.merged } : row;
    }
    return { stream: l.stream, rows };
  });
  return { name: a.name, arch: a.arch, binaries: a.binaries, source: a.source, lanes };
}

/**
 * A history with `more`'s lanes added (a lane of a stream already there is replaced): the view
 * asks for one stream at a time so each lane is drawn as its stream's index lands.
 */
export function mergeHistory(into: DeepReadonly<HistoryResult>, more: DeepReadonly<HistoryResult>): DeepReadonly<HistoryResult> {
  const streams = new Set(more.lanes.map((l) => l.stream));
  return {
    name: into.name,
    arch: into.arch,
    binaries: [...new Set([...into.binaries, ...more.binaries])].sort(),
    source: into.source ?? more.source,
    lanes: [...into.lanes.filter((l) => !streams.has(l.stream)), ...more.lanes],
  };
}
