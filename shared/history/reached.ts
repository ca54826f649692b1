/**
 * "When did 6.10 reach stable": for a chosen version, the first commit on each stream whose
 * effective version of a binary is at least that version (rpm order). A history lane lists only
 * the commits that changed the version, so the first such row, oldest first, is that commit.
 */
import type { HistoryResult } from '../api/types';
import { AppError } from '../errors';
import { compareEvr, parseEvr, type Evr } from '../rpm/nevra';
import type { DeepReadonly } from '../readonly';

/** Where a stream stands against the chosen version. */
export type ReachedOn =
  | { stream: string; reached: true; commit: string; date: string; evr: string }
  | { stream: string; reached: false; current: string | null };

/** Parses what the user typed as the version to look for (`6.10`, `6.10.3-200.fc40`, `2:1.0-1`); a bad one is a located error. */
export function parseReachedVersion(text: string): Evr {
  try {
    return parseEvr(text.trim());
  } catch (e) {
    throw new AppError('bad-input', `"reached" version ${JSON.stringify(text)}: ${e instanceof Error ? e.message : String(e)}`, { field: 'reached' });
  }
}

/**
 * Each lane's first commit carrying `binary` at `version` or newer, in the lanes' order. A
 * version without a release (`6.10`) is reached by every release of it, as rpm orders a missing
 * release first.
 */
export function reachedLine(lanes: DeepReadonly<HistoryResult['lanes']>, binary: string, version: Evr): ReachedOn[] {
  return lanes.map((lane) => {
    let current: string | null = null;
    // Rows are newest first: walk them oldest first and stop at the first at or past the version.
    for (let i = lane.rows.length - 1; i >= 0; i--) {
      const row = lane.rows[i];
      const change = row.changes.find((c) => c.name === binary);
      if (!change) continue;
      current = change.evr;
      if (change.evr !== null && compareEvr(change.evr, version) >= 0) {
        return { stream: lane.stream, reached: true, commit: row.commit, date: row.date, evr: change.evr };
      }
    }
    return { stream: lane.stream, reached: false, current };
  });
}
