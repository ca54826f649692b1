/**
 * V8's code cache for `history` on a Node without its own compile cache (`main/cli/code-cache.ts`):
 * written after a run that had none, used as it is by the next, and a cache whose bytes do not
 * match their crc32 (or that V8 refuses) is never used: the answer is the same and the file is
 * written again.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32 } from 'node:zlib';
import { runCli } from '../../helpers/cli';
import { createRepo, lockfileJson } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

afterAll(() => cleanupTempDirs());

const nodeHasItsOwn = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

describe.skipIf(nodeHasItsOwn)('the code cache of a history run (Node 20)', () => {
  const repo = createRepo();
  repo.branch('testing-devel');
  for (let i = 1; i <= 3; i++) repo.commit(`bump ${i}`, { 'manifest-lock.x86_64.json': lockfileJson({ kernel: `6.${i}-1.fc40.x86_64` }) });
  const args = ['history', 'kernel', '--stream', 'testing-devel', '--json', '--repo', repo.dir];

  function runIn(data: string) {
    const r = runCli(args, { env: { LOCKSTEP_DATA_DIR: data } });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout)).toHaveLength(3);
    return r.stdout;
  }
  const cacheOf = (data: string) => {
    const dir = path.join(data, 'cache', 'v8');
    const names = fs.readdirSync(dir);
    expect(names).toEqual([expect.stringMatching(/^cli-history-[0-9a-f]{8}-\d+-.+\.v8$/)]);
    return path.join(dir, names[0]);
  };
  /** The file's bytes check out: a crc32 of the rest in front. */
  const whole = (bytes: Buffer) => bytes.length > 4 && crc32(bytes.subarray(4)) === bytes.readUInt32BE(0);

  it('is written by the first run and used, not written again, by the next', () => {
    const data = makeTempDir('lockstep-v8cache-');
    const first = runIn(data);
    const file = cacheOf(data);
    expect(whole(fs.readFileSync(file))).toBe(true);
    const before = fs.statSync(file);
    expect(runIn(data)).toBe(first);
    const after = fs.statSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it('is not used when its bytes do not match their crc32, or when V8 refuses them; the file is written again', () => {
    const data = makeTempDir('lockstep-v8cache-');
    const answer = runIn(data);
    const file = cacheOf(data);
    const good = fs.readFileSync(file);
    // A byte flipped in the middle: the crc32 in front no longer matches.
    const flipped = Buffer.from(good);
    flipped[flipped.length >> 1] ^= 0xff;
    // Bytes that match their crc32 but are no cache V8 made.
    const junk = Buffer.from('not a code cache, but summed right');
    const sealed = Buffer.concat([Buffer.alloc(4), junk]);
    sealed.writeUInt32BE(crc32(junk));
    for (const bad of [flipped, sealed, Buffer.alloc(0)]) {
      fs.writeFileSync(file, bad);
      expect(runIn(data)).toBe(answer);
      const now = fs.readFileSync(file);
      expect(whole(now)).toBe(true);
      expect(now.equals(bad)).toBe(false);
    }
    expect(fs.readdirSync(path.dirname(file)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('is for history alone: a drafts listing writes none', () => {
    const data = makeTempDir('lockstep-v8cache-');
    const r = runCli(['drafts', '--json', '--repo', repo.dir], { env: { LOCKSTEP_DATA_DIR: data } });
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(data, 'cache', 'v8'))).toBe(false);
  });
});
