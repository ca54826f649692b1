/** Handlers of the review half: streams, refs, diffs, file texts and package history. */
import type { ApiHandlers, RefChoice } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import { diffToMarkdown } from '../../../shared/lockfile/diff-markdown';
import { listTagRefs } from '../../git/refs';
import { diffRefs } from '../../services/review/diff';
import { otherFilesDiff } from '../../services/review/other-files';
import { commitMessage, historyLanes, versionChoices } from '../../services/history/lanes';
import { streamsOverview } from '../../services/review/streams';
import { readOverridesBoard } from '../../services/review/overrides-board';
import type { Session } from '../session';

type ReviewCalls = 'streams:list' | 'refs:list' | 'diff:refs' | 'diff:markdown' | 'review:otherFiles' | 'files:read' | 'history:package' | 'history:commit' | 'versions:list' | 'overrides:board';

const name = (v: unknown, field: string): string => {
  if (typeof v !== 'string' || !v.trim()) throw new AppError('bad-input', `${field} must be a non-empty string`, { field });
  return v.trim();
};

export function reviewHandlers(s: Session): Pick<ApiHandlers, ReviewCalls> {
  return {
    'overrides:board': async () => readOverridesBoard(s.requireRepo(), await s.streams(), { graduationRepos: s.settings.read().graduationRepos }),
    'streams:list': async () => {
      try {
        return await streamsOverview(s.requireRepo(), s.settings.read().streams);
      } finally {
        s.overviewAnswered();
      }
    },
    'refs:list': async () => {
      const r = s.requireRepo();
      const streams = new Set((await s.streams()).map((x) => x.name));
      const out: RefChoice[] = (await r.branches()).map((b) => ({ name: b.name, kind: streams.has(b.name) ? 'stream' : 'branch', oid: b.oid }));
      for (const t of await listTagRefs(r.gitdir)) out.push({ name: t.name, kind: 'tag', oid: t.oid });
      return out;
    },
    'diff:refs': async (req) => diffRefs(s.requireRepo(), { ...req, from: name(req?.from, 'from'), to: name(req?.to, 'to') }),
    'diff:markdown': async (req) => {
      const r = await diffRefs(s.requireRepo(), { ...req, from: name(req?.from, 'from'), to: name(req?.to, 'to') });
      return diffToMarkdown(r.arches, {
        from: { label: r.from.input, commit: r.from.commit, date: r.from.date },
        to: { label: r.to.input, commit: r.to.commit, date: r.to.date },
        overrides: r.overrides,
      });
    },
    'review:otherFiles': async (req) => otherFilesDiff(s.requireRepo(), name(req?.from, 'from'), name(req?.to, 'to')),
    'files:read': async (req) => {
      const r = s.requireRepo();
      const { oid } = await r.resolve(name(req?.ref, 'ref'));
      const files: Record<string, string> = {};
      for (const [file, blob] of Object.entries(r.lockFileOids(oid))) files[file] = r.readText(blob, file, oid);
      return { commit: oid, files };
    },
    'history:package': async (req) => {
      const all = (await s.streams()).map((x) => x.name);
      const streams = (req.streams ?? all).filter((n) => all.includes(n));
      return historyLanes(s.historyIndex(), streams, { ...req, name: name(req?.name, 'name') });
    },
    'history:commit': async (req) => {
      if (!/^[0-9a-f]{40}$/.test(req.commit)) throw new AppError('bad-input', `commit must be a full commit id, not "${req.commit}"`, { field: 'commit' });
      return commitMessage(s.requireRepo(), req.commit);
    },
    'versions:list': async (req) => versionChoices(s.requireRepo(), s.historyIndex(), await s.streams(), name(req?.name, 'name')),
  };
}
