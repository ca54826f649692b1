/** Locating a repository's git folder: a plain clone's `.git` or a bare repo itself. */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';

export interface RepoLocation {
  /** The folder the user named (work tree of a plain clone, or the bare repo). */
  dir: string;
  gitdir: string;
  bare: boolean;
}

const isGitdir = (p: string): boolean =>
  fs.existsSync(path.join(p, 'HEAD')) && fs.existsSync(path.join(p, 'objects')) && fs.existsSync(path.join(p, 'refs'));

/** Finds the git folder of `dir`; a clear error when it is not a git repository. */
export function locateRepo(dir: string): RepoLocation {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs)) {
    throw new AppError('bad-input', `${abs}: no such folder; pass --repo with the path of a clone of the config repo`, {
      file: abs,
    });
  }
  const dotgit = path.join(abs, '.git');
  if (fs.existsSync(dotgit)) {
    if (fs.statSync(dotgit).isFile()) {
      // A worktree or submodule: `.git` is a file holding `gitdir: <path>`.
      const m = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotgit, 'utf8'));
      if (m) return { dir: abs, gitdir: path.resolve(abs, m[1].trim()), bare: false };
    } else if (isGitdir(dotgit)) {
      return { dir: abs, gitdir: dotgit, bare: false };
    }
  }
  if (isGitdir(abs)) return { dir: abs, gitdir: abs, bare: true };
  throw new AppError('bad-input', `${abs}: not a git repository; pass --repo with the path of a clone of the config repo`, {
    file: abs,
  });
}
