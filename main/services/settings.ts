/**
 * The app's own state on disk: data folder (per OS, overridable with LOCKSTEP_DATA_DIR for
 * tests and portable use) and a small settings file written atomically.
 */
import fs from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import writeFileAtomic from 'write-file-atomic';
import type { RecentRepo } from '../../shared/api/contract';
import { DISTRO_OWN_SOURCES } from '../../shared/drafts/validate';

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

/** The folder holding clones, settings and caches. */
export function dataDir(): string {
  return process.env.LOCKSTEP_DATA_DIR ?? envPaths('lockstep', { suffix: '' }).data;
}

export class SettingsStore {
  private cache: Settings | null = null;

  constructor(readonly file: string = path.join(dataDir(), 'settings.json')) {}

  read(): Settings {
    if (this.cache) return this.cache;
    let value: Settings = structuredClone(DEFAULTS);
    try {
      const raw = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Partial<Settings>;
      value = { ...value, ...raw, streams: { ...DEFAULTS.streams, ...(raw.streams ?? {}) } };
    } catch {
      // Missing or unreadable settings fall back to defaults; the next write repairs the file.
    }
    this.cache = value;
    return value;
  }

  async update(fn: (s: Settings) => Settings): Promise<Settings> {
    const next = fn(structuredClone(this.read()));
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
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
