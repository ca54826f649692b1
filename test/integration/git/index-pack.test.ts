/**
 * The own index-pack against the git CLI: the `.idx` it writes must be byte for byte what
 * `git index-pack` writes, on the fixture's pack and on synthetic ones (OFS and REF deltas,
 * 64-bit offsets, thin packs), and a broken pack is refused.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { indexPack, storePack } from '../../../main/git/objects/index-pack';
import { ObjectStore } from '../../../main/git/objects/object-store';
import { FIXTURE_BUNDLE, HAVE_FIXTURE, warnIfNoFixture } from '../../helpers/fixture';
import { createRepo } from '../../helpers/repo-builder';
import { makeTempDir } from '../../helpers/tmp';

warnIfNoFixture('index-pack: the fixture pack');

const git = (gitdir: string, ...args: string[]) => execFileSync('git', ['--git-dir', gitdir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

/** The single pack of a repo after a full repack, with git's own idx. */
function onlyPack(gitdir: string): { pack: string; idx: string } {
  const dir = path.join(gitdir, 'objects', 'pack');
  const packs = fs.readdirSync(dir).filter((n) => n.endsWith('.pack'));
  expect(packs).toHaveLength(1);
  const pack = path.join(dir, packs[0]);
  return { pack, idx: pack.replace(/\.pack$/, '.idx') };
}

/** What `git index-pack` writes for a pack, with optional `--index-version=2,<limit>`. */
function gitIdx(pack: string, limit?: number): Buffer {
  const out = path.join(makeTempDir(), 'git.idx');
  const args = ['index-pack', '-o', out];
  if (limit !== undefined) args.push(`--index-version=2,0x${limit.toString(16)}`);
  execFileSync('git', [...args, pack], { stdio: ['ignore', 'pipe', 'pipe'] });
  return fs.readFileSync(out);
}

function synthetic(): string {
  const repo = createRepo();
  // Versions of a few files that delta well against each other, plus a binary that does not.
  const lines = Array.from({ length: 400 }, (_, i) => `  "pkg-${i}": { "evra": "1.${i}-1.fc40.x86_64" },`);
  for (let v = 0; v < 40; v++) {
    const changed = lines.map((l, i) => (i % 37 === v % 37 ? l.replace('-1.fc40', `-${v + 2}.fc40`) : l));
    repo.commit(`bump ${v}`, {
      'manifest-lock.x86_64.json': `{\n${changed.join('\n')}\n}\n`,
      'manifest-lock.aarch64.json': `{\n${changed.map((l) => l.replace('x86_64', 'aarch64')).join('\n')}\n}\n`,
      [`notes/${v % 5}.txt`]: crypto.createHash('sha256').update(String(v)).digest('hex').repeat(50),
    });
  }
  return repo.gitdir;
}

describe('index-pack', () => {
  it('writes the idx git writes for a pack with OFS deltas, and names the pack by its checksum', async () => {
    const gitdir = synthetic();
    git(gitdir, 'repack', '-adq', '--depth=50');
    const { pack, idx } = onlyPack(gitdir);
    const data = fs.readFileSync(pack);
    const phases = new Set<string>();
    const got = await indexPack(data, { onProgress: (p) => phases.add(p.phase) });
    expect(got.idx.equals(fs.readFileSync(idx))).toBe(true);
    expect(path.basename(pack)).toBe(`pack-${got.checksum}.pack`);
    expect(got.deltas).toBeGreaterThan(20);
    expect([...phases]).toEqual(['Indexing objects', 'Resolving deltas']);
  });

  it('writes the idx git writes for REF deltas, and with the 64-bit offset table', async () => {
    const gitdir = synthetic();
    git(gitdir, '-c', 'repack.useDeltaBaseOffset=false', 'repack', '-adfq');
    const { pack } = onlyPack(gitdir);
    const data = fs.readFileSync(pack);
    // The pack really holds REF deltas (type 7).
    expect(git(gitdir, 'verify-pack', '-v', pack).toString()).toMatch(/ blob +\d+ \d+ \d+ 1 [0-9a-f]{40}/);
    expect((await indexPack(data)).idx.equals(gitIdx(pack))).toBe(true);
    expect((await indexPack(data, { off32Limit: 0x1000 })).idx.equals(gitIdx(pack, 0x1000))).toBe(true);
  });

  it('resolves a thin pack against the repo it completes', async () => {
    const source = createRepo();
    const big = Array.from({ length: 300 }, (_, i) => `line ${i} of a file long enough to delta`).join('\n');
    source.commit('one', { 'a.txt': big });
    const first = source.rev('HEAD');
    source.commit('two', { 'a.txt': `${big}\nand one more line` });
    const receiver = path.join(makeTempDir(), 'r.git');
    execFileSync('git', ['clone', '-q', '--bare', '--single-branch', source.dir, receiver]);
    git(receiver, 'update-ref', 'refs/heads/main', first);
    const thin = execFileSync('git', ['--git-dir', source.gitdir, 'pack-objects', '--thin', '--stdout', '--revs', '-q'], { input: `${source.rev('HEAD')}\n^${first}\n` });
    const store = await ObjectStore.open(receiver);
    try {
      await expect(indexPack(thin)).rejects.toThrow(/no base/);
      const got = await indexPack(thin, { external: (oid) => (store.has(oid) ? store.read(oid) : null) });
      expect(got.deltas).toBeGreaterThan(0);
      await storePack(receiver, thin, { external: (oid) => (store.has(oid) ? store.read(oid) : null) });
      await store.refresh();
      expect(store.readCommit(source.rev('HEAD')).message).toBe('two\n');
    } finally {
      store.close();
    }
  });

  it('refuses a pack with a flipped byte, a cut pack and a wrong checksum', async () => {
    const gitdir = synthetic();
    git(gitdir, 'repack', '-adq');
    const data = fs.readFileSync(onlyPack(gitdir).pack);
    const flipped = Buffer.from(data);
    flipped[200] ^= 0xff;
    for (const bad of [flipped, data.subarray(0, data.length - 100), Buffer.from('PACK')]) {
      const err = await indexPack(bad).catch((e) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('network');
    }
    // A consistent checksum over bytes that do not parse.
    const body = Buffer.from(data.subarray(0, data.length - 20));
    body[body.length - 3] ^= 0xff;
    const resealed = Buffer.concat([body, crypto.createHash('sha1').update(body).digest()]);
    expect((await indexPack(resealed).catch((e) => e)).code).toBe('network');
  });

  it('stops when cancelled', async () => {
    const gitdir = synthetic();
    git(gitdir, 'repack', '-adq');
    const ac = new AbortController();
    ac.abort();
    expect((await indexPack(fs.readFileSync(onlyPack(gitdir).pack), { signal: ac.signal }).catch((e) => e)).code).toBe('cancelled');
  });

  it('stores pack and idx read-only where git finds them, and writes nothing for an empty pack', async () => {
    const gitdir = synthetic();
    git(gitdir, 'repack', '-adq');
    const { pack } = onlyPack(gitdir);
    const target = path.join(makeTempDir(), 't.git');
    execFileSync('git', ['init', '-q', '--bare', target]);
    const stored = await storePack(target, fs.readFileSync(pack));
    expect(stored).toBe(path.join(target, 'objects', 'pack', path.basename(pack)));
    git(target, 'verify-pack', stored!);
    expect(fs.statSync(stored!).mode & 0o777).toBe(0o444);
    expect(fs.readdirSync(path.join(target, 'objects', 'pack')).sort()).toEqual([path.basename(pack).replace('.pack', '.idx'), path.basename(pack)].sort());
    const empty = Buffer.from('5041434b0000000200000000', 'hex');
    expect(await storePack(target, Buffer.concat([empty, crypto.createHash('sha1').update(empty).digest()]))).toBeNull();
  });

  it.skipIf(!HAVE_FIXTURE)('writes the idx git writes for the fixture pack', async () => {
    const gitdir = path.join(makeTempDir(), 'fcos.git');
    execFileSync('git', ['clone', '-q', '--bare', FIXTURE_BUNDLE, gitdir]);
    const { pack, idx } = onlyPack(gitdir);
    const got = await indexPack(fs.readFileSync(pack));
    expect(got.idx.equals(fs.readFileSync(idx))).toBe(true);
    expect(got.idx.equals(gitIdx(pack, 0x10000))).toBe(false);
    expect((await indexPack(fs.readFileSync(pack), { off32Limit: 0x10000 })).idx.equals(gitIdx(pack, 0x10000))).toBe(true);
  }, 60_000);
});
