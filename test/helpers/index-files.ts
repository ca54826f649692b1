/** The history index as files on disk, for tests that compare two ways of building it byte for byte. */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigRepo } from '../../main/services/review/config-repo';
import { HistoryIndex, type HistoryOptions } from '../../main/services/history/history-index';

/** Builds the index of `streams` from nothing (a checkout's `.git` or a bare repo) and returns every file of it, by name. */
export async function indexFiles(dir: string, opts: HistoryOptions, streams = ['testing-devel', 'stable']): Promise<Record<string, string>> {
  const gitdir = fs.existsSync(path.join(dir, '.git')) ? path.join(dir, '.git') : dir;
  fs.rmSync(path.join(gitdir, 'lockstep'), { recursive: true, force: true });
  const r = await ConfigRepo.open(dir);
  try {
    const index = new HistoryIndex(r, opts);
    for (const s of streams) await index.update(s);
  } finally {
    r.close();
  }
  const d = path.join(gitdir, 'lockstep', 'history3');
  return Object.fromEntries(fs.readdirSync(d).map((f) => [f, fs.readFileSync(path.join(d, f), 'latin1')]));
}
