/**
 * A package's history on every stream, as the app's chart and table show it: one lane per
 * stream, one row per commit with a source package's binaries folded in (messages are read
 * per commit on demand: at 10× history they were two thirds of a 30 MB answer). The CLI and the app both ask here.
 */
import { compareEvr } from '../../shared/rpm/nevra';
import type { HistoryRequest, HistoryResult, VersionChoice } from '../../shared/api/types';
import type { ConfigRepo } from './config-repo';
import type { HistoryIndex } from './history-index';
import { foldRows } from '../../shared/history/view';

/** Lanes of `req.name` (a binary or a source package) on `streams`, in that order. */
export async function historyLanes(index: HistoryIndex, streams: readonly string[], req: HistoryRequest): Promise<HistoryResult> {
  const arch = req.arch ?? 'x86_64';
  // A source package name lists all of its binaries together.
  let source: string | null = null;
  let binaries: string[] = [req.name];
  // The stream that told us it is a source package is not read twice.
  let firstSource: { stream: string; src: Awaited<ReturnType<HistoryIndex['sourceHistory']>> } | null = null;
  for (const stream of streams) {
    const src = await index.sourceHistory(stream, arch, req.name);
    if (src.binaries.length > 1 || (src.binaries.length === 1 && src.binaries[0] !== req.name)) {
      source = req.name;
      binaries = src.binaries;
      firstSource = { stream, src };
      break;
    }
    const of = await index.sourceOf(stream, arch, req.name);
    if (of) {
      source = of;
      break;
    }
  }
  const lanes: HistoryResult['lanes'] = [];
  for (const stream of streams) {
    if (source === req.name) {
      const src = firstSource?.stream === stream ? firstSource.src : await index.sourceHistory(stream, arch, req.name);
      for (const b of src.binaries) if (!binaries.includes(b)) binaries.push(b);
      lanes.push({ stream, rows: foldRows(src.entries) });
    } else {
      lanes.push({ stream, rows: foldRows((await index.packageHistory(stream, arch, req.name)).map((e) => ({ ...e, name: req.name }))) });
    }
  }
  return { name: req.name, arch, binaries: binaries.sort(), source, lanes };
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
