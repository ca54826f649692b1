/**
 * An opened config repo: refs through isomorphic-git, objects through the fast pack reader,
 * lock data parsed per commit (cached, since commits never change).
 */
import { AppError } from '../../../shared/errors';
import { isLockPath, lockFileTooBig } from '../../../shared/lockfile/files';
import { buildSnapshot } from '../../../shared/lockfile/snapshot';
import type { Snapshot } from '../../../shared/lockfile/types';
import { locateRepo, type RepoLocation } from '../../git/gitdir';
import { ObjectStore } from '../../git/objects/object-store';
import { decodeFileText, encodingOf, type FileEncoding } from '../../git/objects/file-text';
import type { Commit } from '../../git/objects/parse';
import { listBranchRefs, resolveCommitish, type BranchRef, type ResolvedRef } from '../../git/refs';

export interface OpenOptions {
  /** The upstream remote whose branches are the published streams (default `origin`). */
  upstream?: string;
}


export class ConfigRepo {
  private readonly snapshots = new Map<string, Snapshot>();

  private constructor(
    readonly location: RepoLocation,
    readonly store: ObjectStore,
    readonly upstream: string,
  ) {}

  static async open(dir: string, opts: OpenOptions = {}): Promise<ConfigRepo> {
    const location = locateRepo(dir);
    const store = await ObjectStore.open(location.gitdir);
    return new ConfigRepo(location, store, opts.upstream ?? 'origin');
  }

  get gitdir(): string {
    return this.location.gitdir;
  }

  close(): void {
    this.store.close();
  }

  /** Re-reads packs after a fetch or a write. */
  async refresh(): Promise<void> {
    await this.store.refresh();
  }

  /** Resolves what a user typed to a commit. */
  resolve(input: string): Promise<ResolvedRef> {
    return resolveCommitish(this.gitdir, this.store, input, this.upstream);
  }

  branches(): Promise<BranchRef[]> {
    return listBranchRefs(this.gitdir, this.upstream);
  }

  commit(oid: string): Commit {
    return this.store.readCommit(oid);
  }

  /** Lock data files of a commit's root tree, name -> blob id. */
  lockFileOids(commitOid: string): Record<string, string> {
    const commit = this.store.readCommit(commitOid);
    const out: Record<string, string> = {};
    for (const e of this.store.readTree(commit.tree)) {
      if (e.type === 'blob' && isLockPath(e.name)) out[e.name] = e.oid;
    }
    return out;
  }

  /** A lock file's text, decoded as `file-text.ts` says (UTF-8, else Latin-1 byte for byte). */
  readText(oid: string, file = `blob ${oid.slice(0, 12)}`, commit?: string): string {
    return decodeFileText(this.lockBytes(oid, file, commit));
  }

  /** A lock file's bytes; one over `LOCK_FILE_LIMIT` is refused naming the file and commit. */
  lockBytes(oid: string, file: string, commit?: string): Buffer {
    const data = this.store.read(oid).data;
    const tooBig = lockFileTooBig(data.length, file, commit);
    if (tooBig) throw tooBig;
    return data;
  }

  /** The encoding of a lock file's blob, to write an edit of it back the same way. */
  encodingOf(oid: string): FileEncoding {
    return encodingOf(this.store.read(oid).data);
  }

  /** The parsed lock data of a commit. */
  snapshot(commitOid: string): Snapshot {
    const cached = this.snapshots.get(commitOid);
    if (cached) return cached;
    const files = Object.entries(this.lockFileOids(commitOid)).map(([name, oid]) => ({
      name,
      text: this.readText(oid, name, commitOid),
    }));
    const snap = buildSnapshot(commitOid, files);
    if (this.snapshots.size > 64) this.snapshots.delete(this.snapshots.keys().next().value!);
    this.snapshots.set(commitOid, snap);
    return snap;
  }

  /** A snapshot for a diff side: an error when the commit has no lock data at all. */
  requireSnapshot(commitOid: string, input: string): Snapshot {
    const snap = this.snapshot(commitOid);
    if (Object.keys(snap.lockfiles).length === 0 && snap.overrides.length === 0) {
      throw new AppError('bad-input', `"${input}" (${commitOid.slice(0, 12)}) has no manifest-lock files: is this a config repo?`, {
        ref: input,
        commit: commitOid,
      });
    }
    return snap;
  }
}
