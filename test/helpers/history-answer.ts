/**
 * A HistoryResult (the rows the view folds) in its wire form, built as the back end builds it:
 * the inverse of decodeHistory, for tests and fake back ends.
 */
import type { HistoryAnswer, HistoryCommit, HistoryResult } from '../../shared/api/types';
import { HistoryAnswerBuilder } from '../../shared/history/answer';
import { stateOf } from '../../shared/history/fold';

/** The wire form of a HistoryResult (a commit's fields are the same in every lane that lists it). */
export function encodeHistory(r: HistoryResult): HistoryAnswer {
  const b = new HistoryAnswerBuilder<string>();
  const commits = new Map<string, HistoryCommit>();
  for (const lane of r.lanes) {
    b.lane(lane.stream);
    for (const row of lane.rows) {
      b.row(row.commit);
      if (!commits.has(row.commit)) {
        const c: HistoryCommit = { commit: row.commit, date: row.date, subject: row.subject, author: row.author };
        if (row.merged) c.merged = row.merged;
        commits.set(row.commit, c);
      }
      for (const c of row.changes) b.change(c.name, stateOf(c.evr, c.arch), c.override);
    }
  }
  return b.finish(r, b.keys().map((k) => commits.get(k)!));
}
