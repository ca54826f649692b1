/**
 * The distro's stable update repositories and the build pool, read from their rpm-md metadata
 * (repomd.xml -> primary.xml.gz or .zst), cached on disk so graduation and availability can
 * answer offline, saying how old the answer is. The primary metadata is decompressed and parsed
 * as a stream (saxes), never inflated into one string: memory stays flat however large the
 * repo, and a decompression bomb stops at the cap (http.ts LIMITS).
 */
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import { SaxesParser } from 'saxes';
import { AppError } from '../../../shared/errors';
import { compareEvr } from '../../../shared/rpm/nevra';
import { nameRecord, own } from '../../../shared/records';
import type { RepoVersions } from '../../../shared/graduation';
import { writeFileAtomic } from '../../git/atomic-fs';
import { urlKey } from './answer-cache';
import { getCapped, LIMITS } from './http';

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

/** One `<package type="rpm">` of primary metadata. */
export interface PrimaryPackage {
  name: string;
  arch: string;
  epoch: string;
  ver: string;
  rel: string;
}

/** How a repo read is bounded: one deadline (ms since epoch) for everything, and the caps. */
export interface ReadBounds {
  deadline: number;
  signal?: AbortSignal;
  /** Caps in bytes; LIMITS when left out (tests lower them). */
  compressedBytes?: number;
  decompressedBytes?: number;
}

const notRpmMd = (url: string, why: string) => new AppError('repo', `the repo at ${url} is not rpm-md metadata (${why})`, { url, service: 'rpm-md' });

/** A SAX parser that requires `root` as the document element; `onOpen` sees every element. */
function strictParser(url: string, root: string, onOpen: (name: string, attrs: Record<string, string>) => void, onText?: (t: string) => void, onClose?: (name: string) => void): SaxesParser {
  const p = new SaxesParser();
  let seenRoot = false;
  p.on('opentag', (tag) => {
    if (!seenRoot) {
      seenRoot = true;
      if (tag.name !== root) throw notRpmMd(url, `its document is <${tag.name}>, not <${root}>`);
    }
    onOpen(tag.name, tag.attributes as Record<string, string>);
  });
  if (onText) p.on('text', onText);
  if (onClose) p.on('closetag', (tag) => onClose(tag.name));
  p.on('end', () => {
    if (!seenRoot) throw notRpmMd(url, 'it is empty');
  });
  return p;
}

/** Runs a parser step, turning an XML error into "not rpm-md". */
function feed(url: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw notRpmMd(url, `not XML: ${(err as Error).message.slice(0, 120)}`);
  }
}

/** The primary metadata's location in repomd.xml. */
export function primaryLocation(url: string, xml: string): string {
  let href: string | null = null;
  let inPrimary = false;
  const p = strictParser(
    url,
    'repomd',
    (name, attrs) => {
      if (name === 'data') inPrimary = attrs.type === 'primary';
      else if (name === 'location' && inPrimary && href === null) href = attrs.href ?? null;
    },
    undefined,
    (name) => {
      if (name === 'data') inPrimary = false;
    },
  );
  feed(url, () => p.write(xml).close());
  if (!href) throw notRpmMd(url, 'repomd.xml names no primary metadata');
  return href;
}

/** Streams primary XML text through a parser, calling `onPackage` per binary package. */
function primaryParser(url: string, onPackage: (p: PrimaryPackage) => void): SaxesParser {
  let cur: Partial<PrimaryPackage> | null = null;
  let field: 'name' | 'arch' | null = null;
  return strictParser(
    url,
    'metadata',
    (name, attrs) => {
      if (name === 'package') cur = attrs.type === 'rpm' ? { name: '', arch: '' } : null;
      else if (cur && (name === 'name' || name === 'arch')) field = name;
      else if (cur && name === 'version') Object.assign(cur, { epoch: attrs.epoch ?? '0', ver: attrs.ver, rel: attrs.rel });
    },
    (t) => {
      if (cur && field) cur[field] += t;
    },
    (name) => {
      if (name === 'name' || name === 'arch') field = null;
      else if (name === 'package' && cur) {
        const c = cur as PrimaryPackage;
        if (c.name && c.arch && c.ver && c.rel && c.arch !== 'src') onPackage({ ...c, epoch: c.epoch || '0' });
        cur = null;
      }
    },
  );
}

/** Decompresses `data` chunk by chunk into the parser, refusing more than `max` bytes of output. */
async function streamInto(url: string, file: string, data: Buffer, parser: SaxesParser, max: number): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let total = 0;
  const push = (chunk: Uint8Array) => {
    total += chunk.byteLength;
    if (total > max) throw new AppError('repo', `${url}: ${file} decompresses to more than ${Math.round(max / 1048576)} MB: refused`, { url, service: 'rpm-md' });
    const text = decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    feed(url, () => parser.write(text));
  };
  if (file.endsWith('.gz')) {
    const gunzip = zlib.createGunzip();
    await new Promise<void>((resolve, reject) => {
      gunzip.on('data', (chunk: Buffer) => {
        try {
          push(chunk);
        } catch (err) {
          gunzip.destroy();
          reject(err);
        }
      });
      gunzip.on('end', resolve);
      gunzip.on('error', (err) => reject(notRpmMd(url, `${file} is not gzip data: ${err.message}`)));
      gunzip.end(data);
    });
  } else if (file.endsWith('.zst')) {
    const z = new ZstdDecompress((chunk) => push(chunk));
    try {
      // Fed in slices so the output comes in bounded chunks too.
      for (let i = 0; i < data.length; i += 1 << 16) z.push(data.subarray(i, i + (1 << 16)), i + (1 << 16) >= data.length);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw notRpmMd(url, `${file} is not zstd data: ${(err as Error).message}`);
    }
  } else if (file.endsWith('.xz')) {
    throw new AppError('repo', `${file}: xz-compressed metadata is not supported; the repo should offer .gz or .zst`, { url, service: 'rpm-md' });
  } else {
    for (let i = 0; i < data.length; i += 1 << 16) push(data.subarray(i, i + (1 << 16)));
  }
  feed(url, () => parser.write(decoder.end()).close());
}

/** Reads one repo's binary packages (repomd.xml, then its primary metadata, streamed). */
export async function readPrimary(base: string, bounds: ReadBounds, onPackage: (p: PrimaryPackage) => void): Promise<void> {
  const service = `the repo at ${base}`;
  const repomdUrl = new URL('repodata/repomd.xml', base).toString();
  const repomd = await getCapped(repomdUrl, { service, deadline: bounds.deadline, signal: bounds.signal, maxBytes: LIMITS.repomdBytes });
  if (repomd.status !== 200) throw new AppError('network', `${repomdUrl}: HTTP ${repomd.status}`, { url: repomdUrl, service: 'rpm-md' });
  const href = primaryLocation(repomdUrl, repomd.body.toString('utf8'));
  const primaryUrl = new URL(href, base).toString();
  const primary = await getCapped(primaryUrl, { service, deadline: bounds.deadline, signal: bounds.signal, maxBytes: bounds.compressedBytes ?? LIMITS.compressedBytes });
  if (primary.status !== 200) throw new AppError('network', `${primaryUrl}: HTTP ${primary.status}`, { url: primaryUrl, service: 'rpm-md' });
  await streamInto(primaryUrl, href, primary.body, primaryParser(primaryUrl, onPackage), bounds.decompressedBytes ?? LIMITS.decompressedBytes);
}

const evrOf = (p: PrimaryPackage) => `${p.epoch && p.epoch !== '0' ? `${p.epoch}:` : ''}${p.ver}-${p.rel}`;

/** Reads the newest version of every package the repos carry. */
export async function fetchRepoVersions(urls: string[], bounds: ReadBounds = { deadline: Date.now() + 120_000 }): Promise<RepoVersions> {
  const versions = nameRecord<string>();
  for (const base of urls) {
    await readPrimary(base, bounds, (p) => {
      const evr = evrOf(p);
      const cur = own(versions, p.name);
      if (!cur || compareEvr(evr, cur) > 0) versions[p.name] = evr;
    });
  }
  return { fetched: new Date().toISOString(), versions };
}

/** Every NEVRA some repos carry (the build pool of one arch), with when it was read. */
export interface RepoNevras {
  fetched: string;
  nevras: string[];
}

const isIso = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/** A cache file read through a shape check: one that fails it is deleted and counts as none. */
function readCacheFile<T>(file: string, check: (v: unknown) => v is T): T | null {
  let v: unknown;
  try {
    v = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') fs.rmSync(file, { force: true });
    return null;
  }
  if (check(v)) return v;
  fs.rmSync(file, { force: true });
  return null;
}

const isRepoNevras = (v: unknown): v is RepoNevras => !!v && typeof v === 'object' && isIso((v as RepoNevras).fetched) && Array.isArray((v as RepoNevras).nevras) && (v as RepoNevras).nevras.every((n) => typeof n === 'string');
const isRepoVersions = (v: unknown): v is RepoVersions =>
  !!v && typeof v === 'object' && isIso((v as RepoVersions).fetched) && !!(v as RepoVersions).versions && typeof (v as RepoVersions).versions === 'object' && Object.values((v as RepoVersions).versions).every((e) => typeof e === 'string');

/** Like repoVersions, for presence of exact NEVRAs: online, else the cache, else null. */
export async function repoNevras(urls: string[], cacheDir: string, opts: { offline?: boolean; bounds?: ReadBounds } = {}): Promise<{ value: RepoNevras | null; online: boolean; error: string | null }> {
  // The whole list of URLs, hashed: two pools never share an entry, however long their URLs.
  const file = path.join(cacheDir, `nevras-${urlKey(urls.join('\n'))}.json`);
  const cached = () => readCacheFile(file, isRepoNevras);
  if (opts.offline) return { value: cached(), online: false, error: null };
  try {
    const set = new Set<string>();
    const bounds = opts.bounds ?? { deadline: Date.now() + 120_000 };
    for (const base of urls) await readPrimary(base, bounds, (p) => set.add(`${p.name}-${evrOf(p)}.${p.arch}`));
    const value = { fetched: new Date().toISOString(), nevras: [...set] };
    fs.mkdirSync(cacheDir, { recursive: true });
    await writeFileAtomic(file, JSON.stringify(value));
    return { value, online: true, error: null };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { value: cached(), online: false, error: err.message };
  }
}

/** The cached answer for a set of repo URLs, or null. */
export function cachedRepoVersions(cacheDir: string, key: string): RepoVersions | null {
  return readCacheFile(path.join(cacheDir, `${key}.json`), isRepoVersions);
}

export async function saveRepoVersions(cacheDir: string, key: string, v: RepoVersions): Promise<void> {
  fs.mkdirSync(cacheDir, { recursive: true });
  await writeFileAtomic(path.join(cacheDir, `${key}.json`), JSON.stringify(v));
}

/** Online when the repos answer, else the cache (which says how old it is), else null. */
export async function repoVersions(urls: string[], cacheDir: string, opts: { offline?: boolean; bounds?: ReadBounds } = {}): Promise<{ value: RepoVersions | null; online: boolean; error: string | null }> {
  const key = urlKey(urls.join('\n'));
  if (!opts.offline) {
    try {
      const v = await fetchRepoVersions(urls, opts.bounds);
      await saveRepoVersions(cacheDir, key, v);
      return { value: v, online: true, error: null };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return { value: cachedRepoVersions(cacheDir, key), online: false, error: err.message };
    }
  }
  return { value: cachedRepoVersions(cacheDir, key), online: false, error: null };
}
