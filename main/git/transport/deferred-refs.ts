/**
 * isomorphic-git's fetch moves the remote-tracking refs before it has downloaded and indexed
 * the pack: a kill in between leaves refs naming commits the repo does not have (`git fsck`:
 * "invalid sha1 pointer"). Through this fs, writes and deletions of refs (loose and
 * `packed-refs`) are held in memory during the fetch, and read back from there, so
 * isomorphic-git sees its own writes; `commit()` writes them only once every object they need
 * is written and readable. A kill at any point leaves the old refs or the new ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import { atomicFs, writeFileAtomic } from '../atomic-fs';

type Pending = Map<string, Buffer | null>;

const enoent = (p: string) => Object.assign(new Error(`ENOENT: no such file or directory, '${p}'`), { code: 'ENOENT', path: p });

export interface DeferredRefs {
  fs: typeof atomicFs;
  /** The refs written during the fetch: full ref name -> new content (null: deleted). */
  changes(): Map<string, string | null>;
  /** Writes the held ref changes to disk, each atomically. */
  commit(): Promise<void>;
}

export function deferredRefsFs(gitdir: string): DeferredRefs {
  const refsDir = path.join(gitdir, 'refs') + path.sep;
  const packed = path.join(gitdir, 'packed-refs');
  const isRef = (p: string) => p === packed || p.startsWith(refsDir);
  const pending: Pending = new Map();
  const base = atomicFs.promises;

  const fakeStat = (size: number) => ({ isFile: () => true, isDirectory: () => false, isSymbolicLink: () => false, size, mode: 0o100644, mtimeMs: Date.now(), ctimeMs: Date.now(), ino: 0, uid: 0, gid: 0, dev: 0 });

  /** A held ref's stat (refs are plain files), else the disk's. */
  const statHeld = async <T>(p: string, disk: () => Promise<T>) => {
    if (!pending.has(String(p))) return disk();
    const v = pending.get(String(p));
    if (!v) throw enoent(String(p));
    return fakeStat(v.length);
  };

  const promises = {
    ...base,
    async writeFile(p: string, data: string | Uint8Array, opts?: unknown) {
      if (isRef(String(p))) {
        pending.set(String(p), Buffer.from(typeof data === 'string' ? data : data));
        return;
      }
      return base.writeFile(p, data, opts as never);
    },
    async readFile(p: string, opts?: { encoding?: BufferEncoding } | BufferEncoding) {
      if (pending.has(String(p))) {
        const v = pending.get(String(p));
        if (!v) throw enoent(String(p));
        const enc = typeof opts === 'string' ? opts : opts?.encoding;
        return enc ? v.toString(enc) : Buffer.from(v);
      }
      return base.readFile(p, opts as never);
    },
    async unlink(p: string) {
      if (isRef(String(p))) {
        pending.set(String(p), null);
        return;
      }
      return base.unlink(p);
    },
    stat: (p: string, opts?: unknown) => statHeld(p, () => base.stat(p, opts as never)),
    lstat: (p: string, opts?: unknown) => statHeld(p, () => base.lstat(p, opts as never)),
    async readdir(p: string, opts?: unknown) {
      const dir = String(p).replace(/[/\\]+$/, '');
      let names: string[] = [];
      try {
        names = (await base.readdir(p, opts as never)) as unknown as string[];
      } catch (err) {
        if (!(dir + path.sep).startsWith(refsDir) && dir + path.sep !== refsDir) throw err;
      }
      if (!(dir + path.sep).startsWith(refsDir)) return names;
      const set = new Set(names.map(String));
      for (const [file, v] of pending) {
        if (!file.startsWith(dir + path.sep)) continue;
        const child = file.slice(dir.length + 1).split(path.sep)[0];
        const direct = !file.slice(dir.length + 1).includes(path.sep);
        if (v) set.add(child);
        else if (direct) set.delete(child);
      }
      return [...set];
    },
  };

  return {
    fs: { promises } as unknown as typeof atomicFs,
    changes() {
      const out = new Map<string, string | null>();
      for (const [file, v] of pending) out.set(path.relative(gitdir, file).split(path.sep).join('/'), v ? v.toString('utf8') : null);
      return out;
    },
    async commit() {
      // Loose refs first, then packed-refs, then deletions: a reader never sees a ref vanish
      // before its replacement is in place.
      const entries = [...pending];
      const writes = entries.filter(([f, v]) => v && f !== packed);
      const pack = entries.find(([f, v]) => v && f === packed);
      for (const [file, v] of [...writes, ...(pack ? [pack] : [])]) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        await writeFileAtomic(file, v!);
      }
      for (const [file, v] of entries) if (v === null) fs.rmSync(file, { force: true });
      pending.clear();
    },
  };
}
