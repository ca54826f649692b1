/**
 * A package's history on every stream, as the app's chart and table show it: one lane per
 * stream, one row per commit with a source package's binaries folded in, sent as a
 * HistoryAnswer (each commit and version once; messages are read per commit on demand). At 10×
 * history kernel's lanes list 17,000 rows of 4,700 commits: each commit is read once.
 */
import { compareEvr } from '../../../shared/rpm/nevra';
import type { HistoryAnswer, HistoryRequest, VersionChoice } from '../../../shared/api/types';
import { HistoryAnswerBuilder } from '../../../shared/history/answer';
import type { ConfigRepo } from '../review/config-repo';
import type { HistoryIndex } from './history-index';

/** Lanes of `req.name` (a binary or a source package) on `streams`, in that order. */
export function historyLanes(index: HistoryIndex, streams: readonly string[], req: HistoryRequest): Promise<HistoryAnswer> {
  // Commits are named by their rows in the shared table, which a repair may build anew: the
  // whole answer is asked again then.
  return index.retrying(() => lanesOf(index, streams, req));
}

async function lanesOf(index: HistoryIndex, streams: readonly string[], req: HistoryRequest): Promise<HistoryAnswer> {
  const arch = req.arch ?? 'x86_64';
  // A source package name lists all of its binaries together.
  let source: string | null = null;
  let bySource = false;
  for (const stream of streams) {
    const binaries = await index.sourceBinaries(stream, arch, req.name);
    if (binaries.length > 1 || (binaries.length === 1 && binaries[0] !== req.name)) {
      source = req.name;
      bySource = true;
      break;
    }
    const of = await index.sourceOf(stream, arch, req.name);
    if (of) {
      source = of;
      break;
    }
  }
  const binaries = new Set(bySource ? [] : [req.name]);
  const answer = new HistoryAnswerBuilder<number>();
  for (const stream of streams) {
    const lane = await index.laneChanges(stream, arch, req.name, source === req.name);
    for (const b of lane.binaries) binaries.add(b);
    answer.lane(stream);
    let at = -1;
    for (const r of lane.rows) {
      if (r.at !== at) answer.row(r.commit);
      at = r.at;
      answer.change(r.name, r.state, r.override);
    }
  }
  return answer.finish({ name: req.name, arch, source, binaries: [...binaries].sort() }, index.commitSummaries(answer.keys()));
}

/** Versions of a package seen in any stream's history, newest first, for the draft form. */
export async function versionChoices(repo: ConfigRepo, index: HistoryIndex, streams: readonly { name: string; oid: string }[], name: string): Promise<VersionChoice[]> {
  const seen = new Map<string, Set<string>>();
  const current = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, evr: string, stream: string) => (m.get(evr) ?? m.set(evr, new Set()).get(evr)!).add(stream);
  for (const s of streams) {
    const snap = repo.snapshot(s.oid);
    const arch = snap.lockfiles.x86_64 ? 'x86_64' : Object.keys(snap.lockfiles)[0];
    if (!arch) continue;
    const src = await index.sourceHistory(s.name, arch, name);
    // For a source package, its same-named binary (or its first) tells the version.
    const pick = src.binaries.includes(name) ? name : src.binaries[0];
    const entries = src.binaries.length ? src.entries.filter((e) => e.name === pick) : await index.packageHistory(s.name, arch, name);
    for (const e of entries) if (e.evr) add(seen, e.evr, s.name);
    const head = entries[0];
    if (head?.evr) add(current, head.evr, s.name);
  }
  const out: VersionChoice[] = [...seen].map(([evr, st]) => ({ evr, streams: [...st], current: [...(current.get(evr) ?? [])] }));
  return out.sort((a, b) => compareEvr(b.evr, a.evr));
}

/** A commit's whole message, for the history row a user opened. */
export function commitMessage(repo: ConfigRepo, commit: string): { commit: string; message: string } {
  return { commit, message: repo.commit(commit).message };
}
