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

async function fsyncDir(dir: string): Promise<void> {
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

/** An fs for isomorphic-git whose writeFile is atomic; reads go straight to node:fs. */
export const atomicFs = {
  promises: {
    ...fs.promises,
    writeFile: writeFileAtomic,
  },
};
