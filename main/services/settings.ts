/**
 * The app's own state on disk: data folder (per OS, overridable with LOCKSTEP_DATA_DIR for
 * tests and portable use) and a small settings file written atomically.
 */
import fs from 'node:fs';
import path from 'node:path';
import { removeDeadTempsIn, writeFileAtomic } from '../git/atomic-fs';
import type { RecentRepo } from '../../shared/api/contract';
import { DISTRO_OWN_SOURCES } from '../../shared/drafts/validate';
import { AppError } from '../../shared/errors';
import { dataDir } from './data-dir';

export interface Settings {
  recent: RecentRepo[];
  /** The upstream remote whose branches are the streams. */
  upstream: string;
  /** Streams to add (branch names) or hide. */
  streams: { add: string[]; hide: string[] };
  /** rpm-md repos that say when a fast-track graduated; empty: the reference distro's. */
  graduationRepos: string[];
  /** Where drafts are pushed: your fork's remote name; empty means the upstream remote. */
  pushRemote: string;
  /** How many pushes run at once. */
  pushConcurrency: number;
  /** Bodhi's base URL (updates); LOCKSTEP_BODHI_URL wins over it. */
  bodhiUrl: string;
  /** Koji's XML-RPC hub; LOCKSTEP_KOJI_URL wins over it. */
  kojiUrl: string;
  /** Source packages whose fast-track needs no reason (the distro's own). */
  fcosOwnPackages: string[];
  /** rpm-md repos a draft's NEVRAs must be in before a push ($basearch expands); empty: the build pool. */
  buildPoolRepos: string[];
}

const DEFAULTS: Settings = {
  recent: [],
  upstream: 'origin',
  streams: { add: [], hide: [] },
  graduationRepos: [],
  pushConcurrency: 2,
  pushRemote: '',
  bodhiUrl: 'https://bodhi.fedoraproject.org',
  kojiUrl: 'https://koji.fedoraproject.org/kojihub',
  fcosOwnPackages: [...DISTRO_OWN_SOURCES],
  buildPoolRepos: [],
};

const isStrings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const strings = (v: unknown) => (isStrings(v) ? null : 'must be a list of strings');
const text = (v: unknown) => (typeof v === 'string' ? null : 'must be a string');
const url = (v: unknown) => (typeof v === 'string' && (v === '' || /^https?:\/\/\S+$/.test(v)) ? null : 'must be an http(s) URL');

/** Each key's check: null when the value fits, else what it must be. */
const CHECKS: Record<keyof Settings, (v: unknown) => string | null> = {
  recent: (v) => (Array.isArray(v) && v.every((x) => x && typeof x === 'object' && typeof x.dir === 'string' && typeof x.openedAt === 'string') ? null : 'must be a list of {"dir", "openedAt"}'),
  upstream: (v) => (typeof v === 'string' && /^[A-Za-z0-9._-]+$/.test(v) ? null : 'must be a remote name'),
  streams: (v) =>
    v && typeof v === 'object' && !Array.isArray(v) && ['add', 'hide'].every((k) => (v as Record<string, unknown>)[k] === undefined || isStrings((v as Record<string, unknown>)[k]))
      ? null
      : 'must be {"add": [branch...], "hide": [branch...]}',
  graduationRepos: strings,
  pushRemote: text,
  pushConcurrency: (v) => (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 16 ? null : 'must be a whole number from 1 to 16'),
  bodhiUrl: url,
  kojiUrl: url,
  fcosOwnPackages: strings,
  buildPoolRepos: strings,
};

export { dataDir } from './data-dir';

export class SettingsStore {
  private cache: Settings | null = null;

  constructor(readonly file: string = path.join(dataDir(), 'settings.json')) {}

  /**
   * The settings, each key checked: a file that is not JSON, or a key of the wrong type, is a
   * bad-input error naming the file and the key (never defaults that the next save would write
   * over the user's file). A missing file is the defaults; unknown keys are kept as they are.
   */
  read(): Settings {
    if (this.cache) return this.cache;
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new AppError('bad-input', `${this.file} cannot be read (${(err as NodeJS.ErrnoException).code}); fix its permissions or move it away`, { file: this.file });
      return (this.cache = structuredClone(DEFAULTS));
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new AppError('bad-input', `${this.file} is not JSON (${(err as Error).message}); fix it or move it away to start from the defaults`, { file: this.file });
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new AppError('bad-input', `${this.file} must hold a JSON object of settings`, { file: this.file });
    const r = raw as Record<string, unknown>;
    for (const [key, check] of Object.entries(CHECKS)) {
      if (r[key] === undefined) continue;
      const why = check(r[key]);
      if (why) throw new AppError('bad-input', `${this.file}: "${key}" ${why}, not ${JSON.stringify(r[key]).slice(0, 60)}; fix or delete that key`, { file: this.file, key });
    }
    const value = { ...structuredClone(DEFAULTS), ...(r as Partial<Settings>), streams: { ...DEFAULTS.streams, ...((r.streams as Partial<Settings['streams']>) ?? {}) } };
    return (this.cache = value);
  }

  async update(fn: (s: Settings) => Settings): Promise<Settings> {
    const next = fn(structuredClone(this.read()));
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    // A writer killed mid-write left its temp file beside: nothing else would ever remove it.
    removeDeadTempsIn(path.dirname(this.file));
    await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    this.cache = next;
    return next;
  }

  /** Puts a repo first in the recent list (at most 10). */
  rememberRepo(dir: string): Promise<Settings> {
    return this.update((s) => ({
      ...s,
      recent: [{ dir, openedAt: new Date().toISOString() }, ...s.recent.filter((r) => r.dir !== dir)].slice(0, 10),
    }));
  }
}
