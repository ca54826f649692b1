/** The Overrides board: every stream's overrides and every draft, read offline (graduation from its cache only). */
import type { BranchRef } from '../../git/refs';
import { overridesBoard, type BoardStreamInput, type OverridesBoard } from '../../../shared/overrides-board';
import { DraftStore } from '../drafts/store';
import { graduationAll } from '../fedora/graduation';
import type { ConfigRepo } from './config-repo';
import { overrideAges } from './override-ages';

export async function readOverridesBoard(repo: ConfigRepo, streams: readonly BranchRef[], opts: { graduationRepos?: string[] } = {}): Promise<OverridesBoard> {
  // The board never waits on the network: graduation is what the cache already knows.
  const graduation = await graduationAll(
    repo,
    streams.map((s) => s.name),
    { urls: opts.graduationRepos, offline: true },
  );
  const inputs: BoardStreamInput[] = streams.map((s) => {
    const snapshot = repo.snapshot(s.oid);
    const entries = snapshot.overrides.flatMap((f) => Object.values(f.entries).map((e) => ({ file: f.file, name: e.name, evr: e.evr, type: e.type })));
    return {
      stream: s.name,
      head: s.oid,
      snapshot,
      graduation: graduation.find((g) => g.stream === s.name)?.rows ?? null,
      added: overrideAges(repo, s.oid, entries),
    };
  });
  const drafts = (await new DraftStore(repo).list()).map((d) => ({
    branch: d.branch,
    stream: d.stream,
    type: d.type,
    packages: [...new Set([...Object.keys(d.packages), ...Object.keys(d.perArch ?? {})])].sort(),
    state: d.state.kind,
    stale: d.stale,
  }));
  return overridesBoard(inputs, drafts);
}
