/**
 * The distro's stable update repositories, read from their rpm-md metadata (repomd.xml ->
 * primary.xml.gz or .zst), cached on disk so graduation can answer offline, saying how old
 * the answer is.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { AppError } from '../../../shared/errors';
import { nevrasFromPrimaryXml } from '../../../shared/availability';
import { primaryHref, versionsFromPrimaryXml, type RepoVersions } from '../../../shared/graduation';
import { writeFileAtomic } from '../../git/atomic-fs';

/** The reference distro's repos; `$releasever` and `$basearch` are filled per stream. */
export const DEFAULT_REPO_URLS = [
  'https://dl.fedoraproject.org/pub/fedora/linux/releases/$releasever/Everything/$basearch/os/',
  'https://dl.fedoraproject.org/pub/fedora/linux/updates/$releasever/Everything/$basearch/',
];

/** Fedora CoreOS's build pool: every build its composes may use, per arch. */
export const BUILD_POOL_URL = 'https://kojipkgs.fedoraproject.org/repos-dist/coreos-pool/latest/$basearch/';

export function expandRepoUrl(url: string, release: number, arch: string): string {
  return url.replace(/\$releasever/g, String(release)).replace(/\$basearch/g, arch).replace(/\/?$/, '/');
}

async function get(url: string, timeoutMs: number): Promise<Buffer> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    const res = await fetch(url, { signal: ac.signal });
    if (!res.ok) throw new AppError('network', `${url}: HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('network', `${url}: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

function decompress(file: string, data: Buffer): string {
  if (file.endsWith('.gz')) return zlib.gunzipSync(data).toString('utf8');
  if (file.endsWith('.zst')) return Buffer.from(zstdDecompress(data)).toString('utf8');
  if (file.endsWith('.xz')) throw new AppError('repo', `${file}: xz-compressed metadata is not supported; the repo should offer .gz or .zst`);
  return data.toString('utf8');
}

/** Reads the newest version of every package the repos carry. */
export async function fetchRepoVersions(urls: string[], timeoutMs = 30_000): Promise<RepoVersions> {
  const versions: Record<string, string> = {};
  for (const base of urls) versionsFromPrimaryXml(await fetchPrimaryXml(base, timeoutMs), versions);
  return { fetched: new Date().toISOString(), versions };
}

/** One repo's primary metadata, found through its repomd.xml and decompressed. */
async function fetchPrimaryXml(base: string, timeoutMs: number): Promise<string> {
  const repomd = (await get(new URL('repodata/repomd.xml', base).toString(), timeoutMs)).toString('utf8');
  const href = primaryHref(repomd);
  if (!href) throw new AppError('repo', `${base}repodata/repomd.xml names no primary metadata`);
  return decompress(href, await get(new URL(href, base).toString(), timeoutMs));
}

/** Every NEVRA some repos carry (the build pool of one arch), with when it was read. */
export interface RepoNevras {
  fetched: string;
  nevras: string[];
}

/** Like repoVersions, for presence of exact NEVRAs: online, else the cache, else null. */
export async function repoNevras(urls: string[], cacheDir: string, opts: { offline?: boolean; timeoutMs?: number } = {}): Promise<{ value: RepoNevras | null; online: boolean; error: string | null }> {
  const key = `nevras-${Buffer.from(urls.join('\n')).toString('base64url').slice(0, 120)}`;
  const cached = () => {
    try {
      return JSON.parse(fs.readFileSync(path.join(cacheDir, `${key}.json`), 'utf8')) as RepoNevras;
    } catch {
      return null;
    }
  };
  if (opts.offline) return { value: cached(), online: false, error: null };
  try {
    const set = new Set<string>();
    for (const base of urls) nevrasFromPrimaryXml(await fetchPrimaryXml(base, opts.timeoutMs ?? 30_000), set);
    const value = { fetched: new Date().toISOString(), nevras: [...set] };
    fs.mkdirSync(cacheDir, { recursive: true });
    await writeFileAtomic(path.join(cacheDir, `${key}.json`), JSON.stringify(value));
    return { value, online: true, error: null };
  } catch (err) {
    return { value: cached(), online: false, error: (err as Error).message };
  }
}

/** The cached answer for a set of repo URLs, or null. */
export function cachedRepoVersions(cacheDir: string, key: string): RepoVersions | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(cacheDir, `${key}.json`), 'utf8')) as RepoVersions;
  } catch {
    return null;
  }
}

export async function saveRepoVersions(cacheDir: string, key: string, v: RepoVersions): Promise<void> {
  fs.mkdirSync(cacheDir, { recursive: true });
  await writeFileAtomic(path.join(cacheDir, `${key}.json`), JSON.stringify(v));
}

/** Online when the repos answer, else the cache (which says how old it is), else null. */
export async function repoVersions(urls: string[], cacheDir: string, opts: { offline?: boolean } = {}): Promise<{ value: RepoVersions | null; online: boolean; error: string | null }> {
  const key = Buffer.from(urls.join('\n')).toString('base64url').slice(0, 120);
  if (!opts.offline) {
    try {
      const v = await fetchRepoVersions(urls);
      await saveRepoVersions(cacheDir, key, v);
      return { value: v, online: true, error: null };
    } catch (err) {
      return { value: cachedRepoVersions(cacheDir, key), online: false, error: (err as Error).message };
    }
  }
  return { value: cachedRepoVersions(cacheDir, key), online: false, error: null };
}
