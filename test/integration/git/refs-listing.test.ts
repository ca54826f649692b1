import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { afterAll, describe, expect, it } from 'vitest';
import { listBranchRefs, listTagRefs } from '../../../main/git/refs';
import { createRepo, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs } from '../../helpers/tmp';

/** What isomorphic-git says, the reading the fast path must agree with. */
async function viaIsomorphicGit(gitdir: string, upstream: string) {
  const byName = new Map<string, { name: string; ref: string; oid: string }>();
  for (const name of await git.listBranches({ fs, gitdir })) byName.set(name, { name, ref: `refs/heads/${name}`, oid: await git.resolveRef({ fs, gitdir, ref: `refs/heads/${name}` }) });
  for (const name of await git.listBranches({ fs, gitdir, remote: upstream })) {
    if (name !== 'HEAD') byName.set(name, { name, ref: `refs/remotes/${upstream}/${name}`, oid: await git.resolveRef({ fs, gitdir, ref: `refs/remotes/${upstream}/${name}` }) });
  }
  const tags = [];
  for (const name of await git.listTags({ fs, gitdir })) tags.push({ name, oid: await git.resolveRef({ fs, gitdir, ref: `refs/tags/${name}` }) });
  return { branches: [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1)), tags };
}

/** A clone with packed and loose refs, nested names, the remote's symbolic HEAD, annotated tags. */
function cloneWithRefs(): RepoBuilder {
  const up = createRepo();
  up.branch('testing-devel');
  up.commit('one', { a: '1' });
  up.branch('stable');
  up.commit('two', { a: '2' });
  up.branch('rhcos/4.18');
  up.commit('three', { a: '3' });
  up.git('tag', 'v1', 'testing-devel');
  up.git('tag', '-a', '-m', 'annotated', 'v2', 'stable');
  const clone = createRepo(path.join(path.dirname(up.dir), 'clone'));
  clone.git('remote', 'add', 'origin', up.dir);
  clone.git('fetch', '-q', '--tags', 'origin');
  clone.git('remote', 'set-head', 'origin', 'stable');
  clone.git('checkout', '-q', '-b', 'testing-devel', 'origin/testing-devel');
  clone.git('pack-refs', '--all');
  // Loose refs newer than the packed ones: a local draft branch, a moved remote branch, a new tag.
  clone.commit('local draft', { a: 'draft' });
  clone.git('update-ref', 'refs/remotes/origin/stable', up.rev('rhcos/4.18'));
  clone.git('tag', 'v3');
  return clone;
}

describe('listing refs', () => {
  afterAll(() => cleanupTempDirs());

  it('reads branches and tags from loose and packed refs as isomorphic-git does, a loose ref winning', async () => {
    const clone = cloneWithRefs();
    const want = await viaIsomorphicGit(clone.gitdir, 'origin');
    expect(await listBranchRefs(clone.gitdir, 'origin')).toEqual(want.branches);
    expect(await listTagRefs(clone.gitdir)).toEqual(want.tags);
    expect(want.branches.find((b) => b.name === 'stable')?.oid).toBe(clone.rev('origin/rhcos/4.18'));
    expect(want.tags.map((t) => t.name)).toEqual(['v1', 'v2', 'v3']);
  });

  it('asks isomorphic-git when a branch is a symbolic ref', async () => {
    const clone = cloneWithRefs();
    clone.git('symbolic-ref', 'refs/heads/alias', 'refs/heads/testing-devel');
    const listed = await listBranchRefs(clone.gitdir, 'origin');
    expect(listed).toEqual((await viaIsomorphicGit(clone.gitdir, 'origin')).branches);
    expect(listed.find((b) => b.name === 'alias')?.oid).toBe(clone.rev('testing-devel'));
  });

  it('lists nothing from a repo with no refs yet', async () => {
    const empty = createRepo();
    expect(await listBranchRefs(empty.gitdir, 'origin')).toEqual([]);
    expect(await listTagRefs(empty.gitdir)).toEqual([]);
  });
});
