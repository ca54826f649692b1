/**
 * A package's history on every stream, as the app's chart and table show it: one lane per
 * stream, a source package's binaries together. The CLI and the app both ask here.
 */
import { compareEvr } from '../../shared/rpm/nevra';
import type { HistoryRequest, HistoryResult, VersionChoice } from '../../shared/api/types';
import type { ConfigRepo } from './config-repo';
import type { HistoryIndex } from './history-index';

/** Lanes of `req.name` (a binary or a source package) on `streams`, in that order. */
export async function historyLanes(index: HistoryIndex, streams: readonly string[], req: HistoryRequest): Promise<HistoryResult> {
  const arch = req.arch ?? 'x86_64';
  // A source package name lists all of its binaries together.
  let source: string | null = null;
  let binaries: string[] = [req.name];
  for (const stream of streams) {
    const src = await index.sourceHistory(stream, arch, req.name);
    if (src.binaries.length > 1 || (src.binaries.length === 1 && src.binaries[0] !== req.name)) {
      source = req.name;
      binaries = src.binaries;
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
      const src = await index.sourceHistory(stream, arch, req.name);
      for (const b of src.binaries) if (!binaries.includes(b)) binaries.push(b);
      lanes.push({ stream, entries: src.entries });
    } else {
      lanes.push({ stream, entries: (await index.packageHistory(stream, arch, req.name)).map((e) => ({ ...e, name: req.name })) });
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
