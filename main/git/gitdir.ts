/**
 * Locating a repository's git folder (a plain clone's `.git`, a bare repo, a linked worktree's
 * `.git` file) and checking, at open, that its layout is one Lockstep can read offline: every
 * object local and readable. A layout it cannot read is refused here, saying what it is and
 * what to do, instead of failing later as "No streams" or "object not found".
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';

export interface RepoLocation {
  /** The folder the user named (work tree of a plain clone or worktree, or the bare repo). */
  dir: string;
  /** The repository's common git folder: objects, refs, config, and Lockstep's own data. */
  gitdir: string;
  bare: boolean;
  /** A linked worktree's own git folder (its HEAD, index), when `dir` is one. */
  worktreeGitdir?: string;
}

const isGitdir = (p: string): boolean =>
  fs.existsSync(path.join(p, 'HEAD')) && fs.existsSync(path.join(p, 'objects')) && fs.existsSync(path.join(p, 'refs'));

const refuse = (dir: string, message: string, data: Record<string, unknown> = {}): AppError => new AppError('repo', `${dir}: ${message}`, { file: dir, ...data });

/** Finds the git folder of `dir` and checks its layout; a clear error when Lockstep cannot use it. */
export function locateRepo(dir: string): RepoLocation {
  const loc = findRepo(dir);
  checkLayout(loc);
  return loc;
}

function findRepo(dir: string): RepoLocation {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs)) {
    throw new AppError('bad-input', `${abs}: no such folder; pass --repo with the path of a clone of the config repo`, {
      file: abs,
    });
  }
  const dotgit = path.join(abs, '.git');
  if (fs.existsSync(dotgit)) {
    if (fs.statSync(dotgit).isFile()) {
      // A linked worktree or a submodule: `.git` is a file holding `gitdir: <path>`.
      const m = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotgit, 'utf8'));
      if (!m) throw refuse(abs, `.git is a file without a "gitdir:" line; run git status there to see what git makes of it, or pass --repo with the main clone`);
      const own = path.resolve(abs, m[1].trim());
      if (!fs.existsSync(own)) {
        throw refuse(abs, `.git points to ${own}, which does not exist (a worktree whose repository moved or was pruned); run "git worktree repair" in the main clone, or pass --repo with the main clone`);
      }
      // A linked worktree shares objects and refs with its main repo through `commondir`.
      const commonFile = path.join(own, 'commondir');
      if (fs.existsSync(commonFile)) {
        const common = path.resolve(own, fs.readFileSync(commonFile, 'utf8').trim());
        if (!isGitdir(common)) throw refuse(abs, `the worktree's main repository ${common} is missing or damaged; run "git worktree repair" in the main clone`);
        return { dir: abs, gitdir: common, bare: false, worktreeGitdir: own };
      }
      if (isGitdir(own)) return { dir: abs, gitdir: own, bare: false };
      throw refuse(abs, `.git points to ${own}, which is not a git folder; pass --repo with the main clone`);
    } else if (isGitdir(dotgit)) {
      return { dir: abs, gitdir: dotgit, bare: false };
    }
  }
  if (isGitdir(abs)) {
    // A linked worktree's own git folder named directly: use its worktree.
    if (fs.existsSync(path.join(abs, 'commondir'))) {
      throw refuse(abs, `this is the git folder of a linked worktree; pass --repo with the worktree itself or with the main clone`);
    }
    return { dir: abs, gitdir: abs, bare: true };
  }
  throw new AppError('bad-input', `${abs}: not a git repository; pass --repo with the path of a clone of the config repo`, {
    file: abs,
  });
}

/** `section.key` (subsection kept, lower-cased section and key) -> values, from a git config file. */
function readConfig(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)[#;].*$/, '').trim();
    if (!line) continue;
    const sec = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]$/.exec(line);
    if (sec) {
      section = sec[2] === undefined ? sec[1].toLowerCase() : `${sec[1].toLowerCase()}.${sec[2]}`;
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (!kv || !section) continue;
    const key = `${section}.${kv[1].toLowerCase()}`;
    const value = (kv[2] ?? 'true').replace(/^"(.*)"$/, '$1');
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

const truthy = (v: string | undefined): boolean => v !== undefined && /^(true|yes|on|1)$/i.test(v);

/**
 * Refuses layouts whose objects are not all local and readable: shallow and partial clones
 * (history and blobs missing), alternates (objects in another repo), other object or ref
 * formats, and damaged pack indexes. Each message says what the repo is and how to fix it.
 */
export function checkLayout(loc: RepoLocation): void {
  const { dir, gitdir } = loc;
  const config = readConfig(path.join(gitdir, 'config'));
  const one = (k: string) => config.get(k)?.at(-1);
  const objectFormat = one('extensions.objectformat');
  if (objectFormat && objectFormat.toLowerCase() !== 'sha1') {
    throw refuse(dir, `a ${objectFormat} repository; Lockstep reads SHA-1 repositories only, as the config repo is; clone it again without --object-format`);
  }
  const refStorage = one('extensions.refstorage');
  if (refStorage && refStorage.toLowerCase() !== 'files') {
    throw refuse(dir, `refs are stored as ${refStorage}; Lockstep reads the files ref format; convert it with "git refs migrate --ref-format=files" in ${dir}`);
  }
  const promisors = [...config.entries()].filter(([k, v]) => /^remote\..+\.promisor$/.test(k) && truthy(v.at(-1))).map(([k]) => k.slice('remote.'.length, -'.promisor'.length));
  if (one('extensions.partialclone') || promisors.length) {
    const remote = one('extensions.partialclone') ?? promisors[0];
    throw refuse(
      dir,
      `a partial clone (objects left on ${remote} until needed); Lockstep works offline and needs every object: run "git -C ${dir} config --unset remote.${remote}.partialclonefilter && git -C ${dir} fetch --refetch ${remote}", or clone again without --filter`,
      { remote },
    );
  }
  const shallow = path.join(gitdir, 'shallow');
  if (fs.existsSync(shallow) && fs.readFileSync(shallow, 'utf8').trim() !== '') {
    throw refuse(dir, `a shallow clone (history cut at ${fs.readFileSync(shallow, 'utf8').trim().split('\n').length} commit(s)); Lockstep reads whole histories: run "git -C ${dir} fetch --unshallow", or clone again without --depth`);
  }
  const alternates = path.join(gitdir, 'objects', 'info', 'alternates');
  if (fs.existsSync(alternates) && fs.readFileSync(alternates, 'utf8').trim() !== '') {
    const from = fs.readFileSync(alternates, 'utf8').trim().split('\n')[0];
    throw refuse(
      dir,
      `borrows objects from ${from} (git alternates, from clone --reference or --shared); Lockstep reads only a repository's own objects: run "git -C ${dir} repack -a -d && rm ${alternates}" to copy them in, or clone again without --reference/--shared`,
    );
  }
  checkPacks(dir, path.join(gitdir, 'objects', 'pack'));
}

/** Checks each pack index's structure and that it belongs to its pack, reading only headers and trailers. */
function checkPacks(dir: string, packDir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(packDir);
  } catch {
    return;
  }
  const fix = (pack: string) =>
    `rebuild the index with "git -C ${dir} index-pack ${pack}" (after moving the damaged .idx away), or, if the pack itself is damaged, fetch again into a fresh clone`;
  // A pack without its index, or an index without its pack, is what an interrupted fetch or
  // repack leaves: git ignores both (they are garbage until gc), and so does the pack reader.
  for (const name of names) {
    if (!name.endsWith('.idx') || !names.includes(name.replace(/\.idx$/, '.pack'))) continue;
    const idx = path.join(packDir, name);
    const pack = idx.replace(/\.idx$/, '.pack');
    const why = idxProblem(idx, pack);
    if (why) throw refuse(dir, `pack index ${idx} is damaged (${why}); ${fix(pack)}`, { pack: idx });
  }
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  const n = fs.readSync(fd, buf, 0, len, pos);
  return buf.subarray(0, n);
}

/** What is wrong with a pack index, or null: size against its object count, and the pack checksum it records. */
function idxProblem(idx: string, pack: string): string | null {
  const size = fs.statSync(idx).size;
  const packSize = fs.statSync(pack).size;
  const fd = fs.openSync(idx, 'r');
  try {
    const head = readAt(fd, 0, 8 + 1024);
    const v2 = head.length >= 8 && head.readUInt32BE(0) === 0xff744f63;
    if (v2 && head.readUInt32BE(4) !== 2) return `unknown index version ${head.readUInt32BE(4)}`;
    const fanout = v2 ? 8 : 0;
    if (head.length < fanout + 1024) return `truncated: ${size} bytes, too short for its header`;
    const count = head.readUInt32BE(fanout + 255 * 4);
    const min = v2 ? 8 + 1024 + count * 28 + 40 : 1024 + count * 24 + 40;
    if (size < min) return `truncated: ${size} bytes, ${count} objects need at least ${min}`;
    if (v2 ? (size - min) % 8 !== 0 : size !== min) return `${size} bytes does not fit ${count} objects`;
    if (packSize < 32) return `its pack is truncated: ${packSize} bytes`;
    const recorded = readAt(fd, size - 40, 20);
    const pfd = fs.openSync(pack, 'r');
    try {
      if (readAt(pfd, 0, 4).toString('latin1') !== 'PACK') return 'its pack does not start with a pack header';
      if (!readAt(pfd, packSize - 20, 20).equals(recorded)) return 'it does not match its pack (checksums differ; the pack was truncated or replaced)';
    } finally {
      fs.closeSync(pfd);
    }
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** The branch each work tree of the repo has checked out: the main one (not bare) and every linked worktree. */
export function checkedOutBranches(loc: RepoLocation): { dir: string; branch: string }[] {
  const heads: { dir: string; head: string }[] = [];
  // Opened from a linked worktree, the main repository may still be bare (no checkout of its own).
  const mainBare = loc.worktreeGitdir ? truthy(readConfig(path.join(loc.gitdir, 'config')).get('core.bare')?.at(-1)) : loc.bare;
  if (!mainBare) heads.push({ dir: loc.worktreeGitdir ? path.dirname(loc.gitdir) : loc.dir, head: path.join(loc.gitdir, 'HEAD') });
  const wts = path.join(loc.gitdir, 'worktrees');
  let names: string[] = [];
  try {
    names = fs.readdirSync(wts);
  } catch {
    // No linked worktrees.
  }
  for (const n of names) {
    let dir = path.join(wts, n);
    try {
      dir = path.dirname(fs.readFileSync(path.join(wts, n, 'gitdir'), 'utf8').trim());
    } catch {
      // A worktree git folder without its back link: name the git folder.
    }
    heads.push({ dir, head: path.join(wts, n, 'HEAD') });
  }
  const out: { dir: string; branch: string }[] = [];
  for (const h of heads) {
    try {
      const m = /^ref:\s*refs\/heads\/(.+?)\s*$/.exec(fs.readFileSync(h.head, 'utf8'));
      if (m) out.push({ dir: h.dir, branch: m[1] });
    } catch {
      // No HEAD: nothing checked out there.
    }
  }
  return out;
}
