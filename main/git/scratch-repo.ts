/**
 * Building a whole repo from code (the demo repo): objects written through synchronous fs
 * calls behind isomorphic-git's promise API. Such a repo has about a thousand small objects,
 * and the thread pool round trips of async fs calls cost more than the writes themselves; it
 * is built in a folder the caller renames into place, so no fsync is needed per object either.
 */
import fs from 'node:fs';
import git, { type PromiseFsClient } from 'isomorphic-git';
import { gitCall } from './errors';
import type { CommitInput, TreeEntry } from './objects/write';

const syncFs = {
  promises: {
    readFile: async (p: string, o?: BufferEncoding | { encoding?: BufferEncoding | null }) => fs.readFileSync(p, o as BufferEncoding),
    writeFile: async (p: string, data: string | Uint8Array, o?: fs.WriteFileOptions) => fs.writeFileSync(p, data, o),
    mkdir: async (p: string, o?: fs.MakeDirectoryOptions) => void fs.mkdirSync(p, o),
    rmdir: async (p: string) => fs.rmdirSync(p),
    unlink: async (p: string) => fs.unlinkSync(p),
    stat: async (p: string) => fs.statSync(p),
    lstat: async (p: string) => fs.lstatSync(p),
    readdir: async (p: string) => fs.readdirSync(p),
    readlink: async (p: string) => fs.readlinkSync(p),
    symlink: async (target: string, p: string) => fs.symlinkSync(target, p),
    chmod: async (p: string, mode: fs.Mode) => fs.chmodSync(p, mode),
  },
} as unknown as PromiseFsClient;

export class ScratchRepo {
  private constructor(
    readonly dir: string,
    readonly gitdir: string,
  ) {}

  /** A new plain repo at `dir` whose HEAD names `defaultBranch`. */
  static async init(dir: string, defaultBranch: string): Promise<ScratchRepo> {
    fs.mkdirSync(dir, { recursive: true });
    await gitCall(`create a repo in ${dir}`, () => git.init({ fs: syncFs, dir, defaultBranch }));
    return new ScratchRepo(dir, `${dir}/.git`);
  }

  writeBlob(text: string): Promise<string> {
    return git.writeBlob({ fs: syncFs, gitdir: this.gitdir, blob: Buffer.from(text, 'utf8') });
  }

  writeTree(tree: readonly TreeEntry[]): Promise<string> {
    return git.writeTree({ fs: syncFs, gitdir: this.gitdir, tree: tree.map((e) => ({ ...e })) as Parameters<typeof git.writeTree>[0]['tree'] });
  }

  writeCommit(c: CommitInput): Promise<string> {
    return git.writeCommit({ fs: syncFs, gitdir: this.gitdir, commit: { message: c.message, tree: c.tree, parent: [...c.parents], author: c.author, committer: c.committer } });
  }

  /**
   * Makes it look cloned from `url`: every branch local and as `refs/remotes/origin/*`, the
   * platform's core settings as `git clone` writes them, `checkout` in the work tree.
   */
  async publish(heads: Record<string, string>, url: string, checkout: string): Promise<void> {
    const { dir, gitdir } = this;
    await git.addRemote({ fs: syncFs, dir, remote: 'origin', url });
    for (const [name, oid] of Object.entries(heads)) {
      await git.writeRef({ fs: syncFs, gitdir, ref: `refs/heads/${name}`, value: oid, force: true });
      await git.writeRef({ fs: syncFs, gitdir, ref: `refs/remotes/origin/${name}`, value: oid, force: true });
      await git.setConfig({ fs: syncFs, dir, path: `branch.${name}.remote`, value: 'origin' });
      await git.setConfig({ fs: syncFs, dir, path: `branch.${name}.merge`, value: `refs/heads/${name}` });
    }
    await git.writeRef({ fs: syncFs, gitdir, ref: 'refs/remotes/origin/HEAD', value: `refs/remotes/origin/${checkout}`, symbolic: true, force: true });
    // isomorphic-git's init assumes the most restrictive file system.
    await git.setConfig({ fs: syncFs, dir, path: 'core.filemode', value: process.platform !== 'win32' });
    await git.setConfig({ fs: syncFs, dir, path: 'core.symlinks', value: process.platform !== 'win32' });
    await git.setConfig({ fs: syncFs, dir, path: 'core.ignorecase', value: process.platform === 'win32' || process.platform === 'darwin' });
    await git.checkout({ fs: syncFs, dir, ref: checkout, force: true });
  }
}
