/**
 * Answers of the build services (Bodhi updates, Koji builds) kept as JSON files in the data
 * folder, so a draft made once online can be made again offline. Written atomically: a kill
 * mid-write leaves the old answer or the new one, never half a file. An entry is read through
 * the same check as a fresh answer: one of the wrong shape (an older Lockstep, a hand edit, a
 * disk error) is dropped so the service is asked again, never used. A writer killed mid-write
 * leaves its temp file, which no read ever names: the next write to that folder removes it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { removeDeadTempsIn, writeFileAtomic } from '../../git/atomic-fs';
import { dataDir } from '../settings';

export interface CachedAnswer<T> {
  /** When the service gave this answer (ISO). */
  fetched: string;
  value: T;
}

/** A cache key for a request URL: a hash of all of it (two URLs never share an entry). */
export function urlKey(url: string): string {
  return crypto.createHash('sha256').update(url).digest('hex');
}

export class AnswerCache {
  /** The service folders this process swept of dead writers' temp files. */
  private readonly swept = new Set<string>();

  constructor(readonly dir: string = path.join(dataDir(), 'cache')) {}

  private file(service: string, key: string): string {
    // Aliases and NVRs are file-name safe already; encoding guards against anything else.
    return path.join(this.dir, service, `${encodeURIComponent(key)}.json`);
  }

  /**
   * The cached answer when `check` accepts its value (check may return it read into another
   * form), else null; an entry that fails the check is deleted.
   */
  read<T>(service: string, key: string, check: (value: unknown) => T = (v) => v as T): CachedAnswer<T> | null {
    const file = this.file(service, key);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    try {
      const v = JSON.parse(text) as { fetched?: unknown; value?: unknown };
      if (!v || typeof v !== 'object' || typeof v.fetched !== 'string' || Number.isNaN(Date.parse(v.fetched)) || !('value' in v)) throw new Error('not a cache entry');
      return { fetched: v.fetched, value: check(v.value) };
    } catch {
      fs.rmSync(file, { force: true });
      return null;
    }
  }

  async write<T>(service: string, key: string, value: T): Promise<CachedAnswer<T>> {
    const answer = { fetched: new Date().toISOString(), value };
    const folder = path.join(this.dir, service);
    fs.mkdirSync(folder, { recursive: true });
    if (!this.swept.has(folder)) {
      removeDeadTempsIn(folder);
      this.swept.add(folder);
    }
    await writeFileAtomic(this.file(service, key), `${JSON.stringify(answer)}\n`);
    return answer;
  }
}
