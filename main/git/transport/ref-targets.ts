/**
 * Refs count only once every object they name is in the repo and readable: a fetch checks the
 * refs it is about to move, a clone every ref it wrote before its folder is renamed into place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { ObjectStore } from '../objects/object-store';

/** Throws unless every object named in these ref files' texts (loose refs, packed-refs) can be read. */
export async function verifyRefTargets(gitdir: string, refTexts: Iterable<string | null>): Promise<void> {
  const oids = new Set<string>();
  for (const text of refTexts) for (const m of (text ?? '').matchAll(/^([0-9a-f]{40})\b/gm)) oids.add(m[1]);
  if (oids.size === 0) return;
  const store = await ObjectStore.open(gitdir);
  try {
    for (const oid of oids) {
      if (!store.has(oid)) throw new AppError('network', `the server did not send object ${oid.slice(0, 12)}; nothing was changed, retry`, { commit: oid });
      store.read(oid);
    }
  } finally {
    store.close();
  }
}

/** The texts of every ref file of a repo: the loose refs under refs/, and packed-refs. */
export async function refFileTexts(gitdir: string): Promise<string[]> {
  const texts: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else texts.push(await fs.promises.readFile(p, 'utf8'));
    }
  };
  await walk(path.join(gitdir, 'refs'));
  try {
    texts.push(await fs.promises.readFile(path.join(gitdir, 'packed-refs'), 'utf8'));
  } catch {
    // No packed refs.
  }
  return texts;
}
