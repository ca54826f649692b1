/**
 * Answers of the build services (Bodhi updates, Koji builds) kept as JSON files in the data
 * folder, so a draft made once online can be made again offline. Written atomically: a kill
 * mid-write leaves the old answer or the new one, never half a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../git/atomic-fs';
import { dataDir } from '../settings';

export interface CachedAnswer<T> {
  /** When the service gave this answer (ISO). */
  fetched: string;
  value: T;
}

export class AnswerCache {
  constructor(readonly dir: string = path.join(dataDir(), 'cache')) {}

  private file(service: string, key: string): string {
    // Aliases and NVRs are file-name safe already; encoding guards against anything else.
    return path.join(this.dir, service, `${encodeURIComponent(key)}.json`);
  }

  /** The cached answer, or null when there is none (or it cannot be read). */
  read<T>(service: string, key: string): CachedAnswer<T> | null {
    try {
      const v = JSON.parse(fs.readFileSync(this.file(service, key), 'utf8')) as CachedAnswer<T>;
      return v && typeof v.fetched === 'string' && 'value' in v ? v : null;
    } catch {
      return null;
    }
  }

  async write<T>(service: string, key: string, value: T): Promise<CachedAnswer<T>> {
    const answer = { fetched: new Date().toISOString(), value };
    fs.mkdirSync(path.join(this.dir, service), { recursive: true });
    await writeFileAtomic(this.file(service, key), `${JSON.stringify(answer)}\n`);
    return answer;
  }
}
