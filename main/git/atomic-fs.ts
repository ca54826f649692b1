/**
 * The fs that isomorphic-git writes through. isomorphic-git writes refs in place without lock
 * files and skips an existing (even truncated) loose object; here every write goes to a
 * temporary file that is fsynced and renamed over the target, then the folder is fsynced, so
 * a kill or power cut leaves either the old file or the whole new one.
 */
import fs from 'node:fs';
import path from 'node:path';

let counter = 0;

/** Writes a file atomically: temp file, fsync, rename, fsync of the folder. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, opts?: { mode?: number } | string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${counter++}`);
  const mode = typeof opts === 'object' && opts?.mode ? opts.mode : 0o644;
  const fh = await fs.promises.open(tmp, 'w', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true });
    // Writes through a file handle carry no path: name the file, so "disk full at PATH" can.
    if (err && typeof err === 'object' && !('path' in err)) Object.assign(err, { path: file });
    throw err;
  }
  await fh.close();
  try {
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
}

/** fsyncs a folder, so the names created, renamed or removed in it survive a power cut. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(dir, 'r');
    await fh.sync();
  } catch {
    // Some platforms (Windows) cannot open or fsync a folder; the rename is still atomic there.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/**
 * Windows flushes a file only through a handle open for writing, and a read-only file (a pack)
 * cannot be opened so again: there each staged file is synced as it is written.
 */
const SYNC_ON_WRITE = process.platform === 'win32';

/**
 * Makes a whole folder durable: every file and folder under it fsynced, all at once. For a
 * folder no reader looks at until it is renamed into place (a clone being built), where
 * writing each file atomically would buy nothing: a kill leaves the folder unused either way.
 * The fsyncs run in parallel, so the file system can commit them together.
 */
export async function syncTree(root: string): Promise<void> {
  const files: string[] = [];
  const dirs: string[] = [];
  const walk = async (dir: string) => {
    dirs.push(dir);
    const entries = await fs.promises.readdir(dir, { withFileTypes: true });
    await Promise.all(entries.map((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : (files.push(path.join(dir, e.name)), undefined))));
  };
  await walk(root);
  await Promise.all(
    (SYNC_ON_WRITE ? [] : files).map(async (file) => {
      const fh = await fs.promises.open(file, 'r');
      try {
        await fh.sync();
      } catch (err) {
        if (err && typeof err === 'object' && !('path' in err)) Object.assign(err, { path: file });
        throw err;
      } finally {
        await fh.close();
      }
    }),
  );
  await Promise.all(dirs.map(fsyncDir));
}

/**
 * Writes a file plainly, for a folder made durable as a whole by `syncTree`. Names the file
 * in a write's error, as writeFileAtomic does ("disk full at PATH").
 */
export async function writeFileStaged(file: string, data: string | Uint8Array, opts?: { mode?: number } | string): Promise<void> {
  try {
    const fh = await fs.promises.open(file, 'w', typeof opts === 'object' && opts?.mode ? opts.mode : 0o644);
    try {
      await fh.writeFile(data);
      if (SYNC_ON_WRITE) await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (err && typeof err === 'object' && !('path' in err)) Object.assign(err, { path: file });
    throw err;
  }
}

/**
 * node:fs's promises with our own writeFile, made at first use: `fs.promises` loads Node's
 * promise file API (and readline with it), which a reading command never needs.
 */
type PromisesWith = Omit<typeof fs.promises, 'writeFile'> & { writeFile: typeof writeFileAtomic };

function promisesWith(writeFile: typeof writeFileAtomic): { readonly promises: PromisesWith } {
  let made: PromisesWith | null = null;
  return {
    get promises() {
      return (made ??= { ...fs.promises, writeFile });
    },
  };
}

/** An fs for isomorphic-git writing into a folder that `syncTree` makes durable later. */
export const stagedFs = promisesWith(writeFileStaged);

/** An fs for isomorphic-git whose writeFile is atomic; reads go straight to node:fs. */
export const atomicFs = promisesWith(writeFileAtomic);

/** Temporary files of our atomic writes: `.<name>.tmp-<pid>-<n>`. */
const TEMP_RE = /^\..+\.tmp-(\d+)-\d+$/;

/** True while the process `pid` runs (on this machine). */
export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the `.<name>.tmp-<pid>-<n>` files of dead processes in one folder (not below it). */
export function removeDeadTempsIn(dir: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (m && !pidAlive(Number(m[1]))) {
      fs.rmSync(path.join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}

/**
 * Removes `.<name>.tmp-<pid>-<n>` files of dead processes under refs/, objects/ (packs
 * included: a fetch killed while writing its pack leaves one there) and lockstep/.
 */
export function removeDeadTemps(gitdir: string): number {
  let removed = removeDeadTempsIn(gitdir);
  const walk = (dir: string, depth: number) => {
    removed += removeDeadTempsIn(dir);
    if (depth >= 6) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name), depth + 1);
  };
  for (const sub of ['refs', 'objects', 'lockstep']) walk(path.join(gitdir, sub), 0);
  return removed;
}
