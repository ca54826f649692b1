/**
 * Rebasing a stale draft on its stream's new head. A planned draft is re-planned (a semantic
 * re-apply, not a text patch); a raw edit is merged three ways. A conflict (a package someone
 * else overrode since) is resolved in place by a redraft: the recorded request applied again on
 * the new head, as the same draft (same branch, same push record), so its re-push goes to the
 * same remote branch under the lease and the PR follows.
 */
import { merge as merge3 } from 'node-diff3';
import type { DraftRecord, DraftRequestData, DraftView, RebaseResult } from '../../../shared/api/types';
import { placeBuildBinaries, type BuildBinary } from '../../../shared/bodhi/build-placement';
import { allowedOps, assertAllowed, transition } from '../../../shared/drafts/lifecycle';
import { planDraft, type BuildTargets } from '../../../shared/drafts/plan';
import { AppError } from '../../../shared/errors';
import { compareEvr } from '../../../shared/rpm/nevra';
import { resolveIdentity } from '../../git/identity';
import { sourceVersionFinder } from '../history/source-versions';
import type { ConfigRepo } from '../review/config-repo';
import { preparePromotion, type PreparedPromotion } from '../promotion/prepare';
import { promotionDraft, type DraftWriter, type PreparedDraft, type RebaseOptions } from './prepared';

type RebaseOutcome =
  | { status: 'conflict' | 'redundant'; redundant: string[]; conflicts: string[] }
  | { status: 'rebased'; redundant: string[]; conflicts: string[]; prepared: PreparedDraft; request?: DraftRequestData };

/**
 * Re-applies a stale draft on the stream's new head. A planned draft is re-planned (a
 * semantic re-apply): a fast-track whose version the new base lockfile already has or passes
 * is redundant and dropped; a package someone else overrode since is a conflict the user
 * resolves; a pin is never redundant. A raw edit is merged three ways per file (its base,
 * the draft, the new head); overlapping edits are a conflict and nothing changes.
 */
export async function rebaseDraft(store: DraftWriter, repo: ConfigRepo, branch: string, opts: RebaseOptions = {}): Promise<RebaseResult> {
  // A draft made from builds gets their binaries again (Koji's answers, cached: offline works),
  // asked before the writer lock is taken so a slow service never holds it.
  const first = await store.get(branch);
  const rpms = new Map<string, BuildBinary[]>();
  if (first.stale && opts.buildBinaries) {
    for (const b of first.request?.builds ?? []) {
      const nvr = `${b.source.name}-${b.source.version}-${b.source.release}`;
      if (!rpms.has(nvr)) rpms.set(nvr, await opts.buildBinaries(nvr));
    }
  }
  return store.write(async () => {
    const d = await store.get(branch);
    await store.notCheckedOut(branch, 'rebase');
    if (opts.at !== undefined && !d.promotion) throw new AppError('bad-input', `${branch} is not a promotion: only a promotion is rebased --at a source commit`, { ref: branch });
    // A promotion is made again, from the source commit it names or the one --at names.
    const promotion = d.promotion ? await preparePromotion(repo, { source: d.promotion.source, target: d.stream, at: opts.at ?? d.promotion.commit }) : null;
    // Made again from a newer source commit is a rebase too: its source moved.
    const moved = !!promotion && promotion.commit !== d.promotion!.commit;
    if (!d.stale && !moved) return { status: 'up-to-date', redundant: [], conflicts: [], draft: d };
    assertAllowed(branch, d.state, { ...d, stale: true }, 'rebase');
    const head = await store.streamHead(d.stream);
    const request = promotion ? undefined : (d.request ?? (opts.redraft ? recordedRequest(d) : undefined));
    const outcome = promotion ? repromote(promotion) : request ? await replan(store, repo, { ...d, request }, head, rpms, !!opts.redraft) : await remerge(store, repo, d, head);
    if (outcome.status !== 'rebased') return { status: outcome.status, redundant: outcome.redundant, conflicts: outcome.conflicts, draft: d };
    const prepared = outcome.prepared;
    const { author, committer } = resolveIdentity(repo.gitdir);
    const commit = await store.writeCommit(prepared, author, committer);
    const { stale: _s, streamHead: _h, needsPush: _n, allowed: _a, edited: _e, written: _w, conflictsWith: _c, ...kept } = d;
    const record: DraftRecord = {
      ...kept,
      base: prepared.base,
      head: commit,
      packages: prepared.plan.packages,
      perArch: prepared.plan.perArch,
      srpms: request ? prepared.plan.srpms : d.srpms,
      files: prepared.files ?? Object.keys(prepared.texts),
      message: request || promotion ? prepared.message : d.message,
      request: request ? outcome.request : undefined,
      ...(prepared.promotion ? { promotion: prepared.promotion } : {}),
      // The push record stays: a re-push then updates the same remote branch (needs_push).
      state: transition(d.state, { type: 'rebased' }),
    };
    await store.saveRecord(record, d.head);
    await repo.refresh();
    const facts = { stale: false, needsPush: !!record.push && record.push.commit !== commit, edited: false };
    return { status: 'rebased', redundant: outcome.redundant, conflicts: [], draft: { ...record, streamHead: head, written: commit, conflictsWith: [], ...facts, allowed: allowedOps(record.state, facts) } };
  });
}

/** A promotion made again (from its source commit, or a newer one) on the target's head. */
function repromote(p: PreparedPromotion): RebaseOutcome {
  if (p.nothing) return { status: 'redundant', redundant: [`${p.source} at ${p.commit.slice(0, 12)}`], conflicts: [] };
  return { status: 'rebased', redundant: [], conflicts: [], prepared: promotionDraft(p) };
}

async function replan(store: DraftWriter, repo: ConfigRepo, d: DraftView, head: string, rpms: ReadonlyMap<string, BuildBinary[]>, redraft: boolean): Promise<RebaseOutcome> {
  const before = repo.snapshot(d.base);
  const after = repo.snapshot(head);
  const names = [...Object.keys(d.packages), ...Object.keys(d.perArch ?? {})];
  const entryKey = (snap: typeof before, name: string) =>
    JSON.stringify(snap.overrides.map((f) => (Object.hasOwn(f.entries, name) ? [f.file, f.entries[name].evr, f.entries[name].arch, f.entries[name].type] : null)));
  const conflicts = [...new Set(names.filter((n) => entryKey(before, n) !== entryKey(after, n)))];
  // A redraft applies the request again over what changed there: that resolves the conflict.
  if (conflicts.length && !redraft) return { status: 'conflict', redundant: [], conflicts };
  let request = d.request!;
  const redundant: string[] = [];
  if (request.builds?.length && rpms.size) {
    // Drafts from Bodhi/Koji builds: each build's binaries placed again on the new base's
    // lockfiles (a binary or an arch locked since is covered, one dropped since is left out),
    // not the targets recorded against the old base.
    const builds: BuildTargets[] = [];
    for (const b of request.builds) {
      const nvr = `${b.source.name}-${b.source.version}-${b.source.release}`;
      const binaries = rpms.get(nvr);
      if (!binaries) {
        builds.push(b);
        continue;
      }
      const placed = placeBuildBinaries(binaries, after.lockfiles).targets;
      const all = Object.entries(placed).flatMap(([name, per]) => Object.entries(per).map(([arch, t]) => ({ name, arch, evr: t.evr })));
      // A fast-track the new base already carries (this version or newer wherever locked) is redundant.
      const carried = all.every((t) => compareEvr(after.lockfiles[t.arch].packages[t.name].evr, t.evr) >= 0);
      if (all.length === 0 || (request.action === 'fast-track' && carried)) redundant.push(nvr);
      else builds.push({ ...b, binaries: placed });
    }
    if (builds.length === 0) return { status: 'redundant', redundant, conflicts: [] };
    request = { ...request, builds };
  }
  // Drafts from Bodhi/Koji builds with no answers at hand carry explicit targets, re-applied as they are.
  if (request.action === 'fast-track' && !request.builds?.length) {
    const keep = [];
    for (const r of request.requests) {
      const planned = planDraft({ ...request, requests: [r], head: before, findSourceVersion: sourceVersionFinder(repo, [d.base]) });
      // Redundant when the new base lockfile has this version or newer on every arch.
      const targets: [string, string | null, string][] = [
        ...Object.entries(planned.packages).map(([name, v]): [string, string | null, string] => [name, null, v.endsWith('.noarch') ? v.slice(0, -7) : v]),
        ...Object.entries(planned.perArch).flatMap(([name, per]) => Object.entries(per).map(([arch, v]): [string, string | null, string] => [name, arch, v.slice(0, v.lastIndexOf('.'))])),
      ];
      const passed = targets.every(([name, arch, evr]) =>
        Object.entries(after.lockfiles).every(([a, lf]) => (arch && a !== arch) || !Object.hasOwn(lf.packages, name) || compareEvr(lf.packages[name].evr, evr) >= 0),
      );
      if (passed) redundant.push(`${r.name} ${r.evr}`);
      else keep.push(r);
    }
    if (keep.length === 0) return { status: 'redundant', redundant, conflicts: [] };
    request = { ...request, requests: keep };
  }
  const prepared = await store.prepare({ ...request, base: undefined });
  return { status: 'rebased', redundant, conflicts: [], prepared, request };
}

/** A raw edit on a new head: each file merged three ways, like `git rebase` would. */
async function remerge(store: DraftWriter, repo: ConfigRepo, d: DraftView, head: string): Promise<RebaseOutcome> {
  const oldBase = repo.lockFileOids(d.base);
  const mine = repo.lockFileOids(d.head);
  const theirs = repo.lockFileOids(head);
  const text = (oid: string | undefined, file: string, commit: string) => (oid ? repo.readText(oid, file, commit) : null);
  const texts: Record<string, [string | null, string]> = {};
  const conflicts: string[] = [];
  for (const file of d.files) {
    const o = text(oldBase[file], file, d.base);
    const a = text(mine[file], file, d.head);
    const b = text(theirs[file], file, head);
    if (a === null) continue;
    if (b === o) {
      if (a !== b) texts[file] = [b, a];
      continue;
    }
    const m = merge3((a ?? '').split('\n'), (o ?? '').split('\n'), (b ?? '').split('\n'));
    if (m.conflict || (o === null && b !== null)) {
      conflicts.push(file);
      continue;
    }
    const merged = m.result.join('\n');
    if (merged !== b) texts[file] = [b, merged];
  }
  if (conflicts.length) return { status: 'conflict', redundant: [], conflicts };
  if (Object.keys(texts).length === 0) return { status: 'redundant', redundant: d.files, conflicts: [] };
  return { status: 'rebased', redundant: [], conflicts: [], prepared: store.rawPrepared(d.stream, head, texts, d.message, []) };
}

/**
 * The request of a draft saved before requests were recorded: its recorded package versions,
 * with the reason and Bodhi links read back from its message.
 */
function recordedRequest(d: DraftView): DraftRequestData {
  if (d.type !== 'pin' && d.type !== 'fast-track' && d.type !== 'unpin') {
    throw new AppError('bad-input', `${d.branch} is a ${d.type === 'edit' ? 'hand edit' : `${d.type} draft`} with no recorded request to apply again; discard it and draft again`, { ref: d.branch });
  }
  const evrOf = (v: string, arch?: string) => (v.endsWith('.noarch') ? v.slice(0, -7) : arch && v.endsWith(`.${arch}`) ? v.slice(0, -arch.length - 1) : v);
  const requests = [
    ...Object.entries(d.packages).map(([name, v]) => ({ name, evr: d.type === 'unpin' ? undefined : evrOf(v) })),
    ...Object.entries(d.perArch ?? {}).map(([name, per]) => {
      const [arch, v] = Object.entries(per)[0];
      return { name, evr: evrOf(v, arch) };
    }),
  ];
  const urls = d.message.match(/https?:\/\/\S+/g) ?? [];
  const bodhi = urls.find((u) => /\/updates\//.test(u));
  return { stream: d.stream, action: d.type, requests, bodhi, reason: urls.find((u) => u !== bodhi) };
}
