/** Diff of two refs' effective locks. */
import type { DiffRequest, DiffResult, DiffSideInfo } from '../../../shared/api/types';
import { AppError } from '../../../shared/errors';
import { diffSnapshots } from '../../../shared/lockfile/diff';
import { formatGitDate } from '../../git/objects/parse';
import type { ConfigRepo } from './config-repo';

async function side(repo: ConfigRepo, input: string): Promise<DiffSideInfo> {
  const r = await repo.resolve(input);
  const c = repo.commit(r.oid);
  return { input, ref: r.ref, commit: r.oid, date: formatGitDate(c.committer), subject: c.message.split('\n')[0] };
}

const ARCH_RE = /^[A-Za-z0-9_]+$/;

/** Diffs two refs; arches default to every arch either side has. */
export async function diffRefs(repo: ConfigRepo, req: DiffRequest): Promise<DiffResult> {
  for (const arch of req.arches ?? []) {
    if (!ARCH_RE.test(arch)) throw new AppError('bad-input', `invalid arch "${arch}": expected a name like x86_64`, { arch });
  }
  const from = await side(repo, req.from);
  const to = await side(repo, req.to);
  const a = repo.requireSnapshot(from.commit, req.from);
  const b = repo.requireSnapshot(to.commit, req.to);
  const overrides = req.overrides ?? true;
  const arches = diffSnapshots(a, b, { arches: req.arches && req.arches.length ? req.arches : undefined, overrides });
  return { from, to, overrides, arches };
}
