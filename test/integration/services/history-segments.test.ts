/**
 * A long walk is split in two (`HistoryIndex.walkNew`): the older half on another thread, each
 * half starting from the lock files of the commit before it. The index it writes must be the
 * one the whole walk writes, byte for byte, through everything a history holds: bumps, new and
 * removed packages, overrides coming and going (per arch files with one text among them), an
 * arch dropped and back, sources changing, merges.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { HistoryIndex } from '../../../main/services/history/history-index';
import type { SegmentRunner } from '../../../main/services/history/walk';
import { segmentsInWorker } from '../../../main/services/history/split';
import { walkSegment } from '../../../main/services/history/worker';
import { createRepo, lockfileJson, overridesYaml, type LockPackage, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs } from '../../helpers/tmp';
import { indexFiles } from '../../helpers/index-files';

const ARCHES = ['x86_64', 'aarch64', 's390x'];

/** A stream of `n` commits: each does one of the things a real history does, in a fixed mix. */
function buildHistory(repo: RepoBuilder, n: number): void {
  const versions: Record<string, number> = { kernel: 1, podman: 1, tzdata: 1, zlib: 1 };
  const present = new Set(Object.keys(versions));
  let s390x = true;
  const lock = (arch: string) => {
    const pkgs: Record<string, string> = {};
    for (const name of [...present].sort()) pkgs[name] = `${versions[name]}.0-1.fc40.${name === 'tzdata' ? 'noarch' : arch}`;
    // Arches disagree on tzdata's source, and it moves: which one the index keeps depends on
    // the order arches are read in, and on the halves' sources being applied in turn.
    const out: Record<string, LockPackage> = { ...pkgs, tzdata: { evra: pkgs.tzdata, sourcerpm: `tzdata-${arch}-${versions.tzdata}` } };
    return lockfileJson(out);
  };
  const locks = () => Object.fromEntries(ARCHES.map((a) => [`manifest-lock.${a}.json`, a === 's390x' && !s390x ? null : lock(a)]));
  repo.commit('lockfiles: import', locks());
  for (let i = 1; i < n; i++) {
    const name = Object.keys(versions)[i % 4];
    const kind = i % 11;
    if (kind === 3) {
      // One text for every arch's overrides file.
      const text = overridesYaml({ podman: { evr: `${versions.podman + 5}.0-1.fc40`, type: 'fast-track' } });
      repo.commit(`overrides: fast-track podman (${i})`, Object.fromEntries(ARCHES.map((a) => [`manifest-lock.overrides.${a}.yaml`, text])));
    } else if (kind === 6) {
      repo.commit(`overrides: drop graduated (${i})`, Object.fromEntries(ARCHES.map((a) => [`manifest-lock.overrides.${a}.yaml`, overridesYaml({})])));
    } else if (kind === 8) {
      if (present.has('zlib')) present.delete('zlib');
      else present.add('zlib');
      repo.commit(`lockfiles: zlib ${present.has('zlib') ? 'back' : 'gone'} (${i})`, locks());
    } else if (kind === 9 && i % 3 === 0) {
      s390x = !s390x;
      repo.commit(`lockfiles: s390x ${s390x ? 'back' : 'dropped'} (${i})`, locks());
    } else {
      versions[name]++;
      repo.commit(`lockfiles: bump ${name} (${i})`, locks());
    }
  }
}

describe('a history walk split in two halves', () => {
  let repo: RepoBuilder;

  beforeAll(() => {
    repo = createRepo();
    repo.branch('testing-devel');
    buildHistory(repo, 60);
    // stable forks from testing-devel and goes on: its walk stops at the fork and is split too.
    repo.branch('stable', repo.rev('testing-devel~20'));
    buildHistory(repo, 30);
    repo.checkout('testing-devel');
  }, 60_000);
  afterAll(() => cleanupTempDirs());

  it('writes the index the whole walk writes, split in this thread or on the history worker', async () => {
    const whole = await indexFiles(repo.dir, { segments: false });
    // The worker's own segment walk, run in this thread.
    const inThread: SegmentRunner = { minCommits: 2, run: walkSegment };
    const worker = segmentsInWorker(2);
    // The worker is the bundled one (dist/main): `npm test` builds it before the tests run.
    expect(worker, 'dist/main/history-worker.cjs is missing: run npm run build').toBeTruthy();
    for (const segments of [inThread, worker as SegmentRunner]) {
      const split = await indexFiles(repo.dir, { segments });
      expect(Object.keys(split).sort()).toEqual(Object.keys(whole).sort());
      for (const f of Object.keys(whole)) expect(split[f], f).toBe(whole[f]);
    }
  }, 60_000);

  it('writes the index the whole walk writes on a history with merges (first parents only, merged changes at the merge)', async () => {
    const merged = createRepo();
    merged.branch('testing-devel');
    for (let k = 0; k < 4; k++) {
      buildHistory(merged, 9);
      // A side branch changes only the all-arch overrides file, which the mainline never touches: a clean merge.
      merged.branch(`side-${k}`, merged.rev('testing-devel~3'));
      merged.commit(`overrides: fast-track kernel (${k})`, { 'manifest-lock.overrides.yaml': overridesYaml({ kernel: { evr: `${90 + k}.0-1.fc40`, type: 'fast-track' } }) });
      if (k % 2) merged.commit(`overrides: and zlib (${k})`, { 'manifest-lock.overrides.yaml': overridesYaml({ kernel: { evr: `${90 + k}.0-1.fc40`, type: 'fast-track' }, zlib: { evr: `${90 + k}.0-1.fc40`, type: 'pin' } }) });
      merged.checkout('testing-devel');
      merged.merge(`side-${k}`, `Merge side-${k}`);
    }
    merged.branch('stable', merged.rev('testing-devel~12'));
    buildHistory(merged, 6);
    merged.checkout('testing-devel');
    expect(merged.git('rev-list', '--merges', '--count', 'testing-devel')).toBe('4');
    const whole = await indexFiles(merged.dir, { segments: false });
    for (const segments of [{ minCommits: 2, run: walkSegment } as SegmentRunner, segmentsInWorker(2) as SegmentRunner]) {
      const split = await indexFiles(merged.dir, { segments });
      expect(Object.keys(split).sort()).toEqual(Object.keys(whole).sort());
      for (const f of Object.keys(whole)) expect(split[f], f).toBe(whole[f]);
    }
    // And both answer what the walk with no index answers.
    const r = await ConfigRepo.open(merged.dir);
    try {
      const rows = await new HistoryIndex(r, { segments: { minCommits: 2, run: walkSegment } }).packageHistory('testing-devel', 'x86_64', 'kernel');
      expect(rows.some((e) => e.subject.startsWith('Merge side-'))).toBe(true);
      expect(rows).toEqual(await new HistoryIndex(r, { cache: false }).packageHistory('testing-devel', 'x86_64', 'kernel'));
    } finally {
      r.close();
    }
  }, 120_000);

  it('applies each arch its own overrides file when several arches have the same text', async () => {
    const r = await ConfigRepo.open(repo.dir);
    try {
      for (const arch of ARCHES) {
        const rows = await new HistoryIndex(r, { segments: false }).packageHistory('testing-devel', arch, 'podman');
        expect(rows.some((e) => e.override?.file === `manifest-lock.overrides.${arch}.yaml`), arch).toBe(true);
        expect(rows).toEqual(await new HistoryIndex(r, { cache: false }).packageHistory('testing-devel', arch, 'podman'));
      }
    } finally {
      r.close();
    }
  }, 60_000);

  it('rebuilds an index written before overrides were read per file (format 3)', async () => {
    const r = await ConfigRepo.open(repo.dir);
    try {
      await new HistoryIndex(r, { segments: false }).update('testing-devel');
      const d = path.join(repo.dir, '.git', 'lockstep', 'history3');
      for (const f of fs.readdirSync(d).filter((n) => n.endsWith('.json') && n !== 'commits.json')) {
        // Headers were plain JSON before format 5 (a crc32 in front now, and sections after the core's line since 6).
        const h = JSON.parse(fs.readFileSync(path.join(d, f), 'utf8').split('\n')[0].slice(9)) as { version: number };
        fs.writeFileSync(path.join(d, f), JSON.stringify({ ...h, version: 3 }));
      }
      const index = new HistoryIndex(r, { segments: false });
      const rows = await index.packageHistory('testing-devel', 'aarch64', 'podman');
      expect(index.lastBuildCommits).toBe(60);
      expect(rows).toEqual(await new HistoryIndex(r, { cache: false }).packageHistory('testing-devel', 'aarch64', 'podman'));
    } finally {
      r.close();
    }
  }, 60_000);

  it('leaves out a malformed lockfile wherever it falls in a split walk, as the whole walk does', async () => {
    const inThread: SegmentRunner = { minCommits: 2, run: walkSegment };
    // 10 commits: the older half is the first 4, the newer half starts from the 4th's files.
    for (const broken of [1, 3, 4, 7]) {
      const bad = createRepo();
      bad.branch('testing-devel');
      for (let i = 0; i < 10; i++) {
        const text = i === broken ? '{"packages": {"foo": ' : lockfileJson({ foo: `${i}-1.fc40.x86_64` });
        // The broken file stays one commit more: that commit has nothing new to read.
        bad.commit(`lockfiles: ${i}`, i === broken + 1 ? { 'manifest-lock.overrides.yaml': overridesYaml({}) } : { 'manifest-lock.x86_64.json': text });
      }
      const whole = await indexFiles(bad.dir, { segments: false }, ['testing-devel']);
      for (const segments of [inThread, segmentsInWorker(2) as SegmentRunner]) {
        const split = await indexFiles(bad.dir, { segments }, ['testing-devel']);
        for (const f of Object.keys(whole)) expect(split[f], `${f}, broken at ${broken}`).toBe(whole[f]);
      }
      const r = await ConfigRepo.open(bad.dir);
      try {
        const told: string[] = [];
        const rows = await new HistoryIndex(r, { onUnreadable: (u) => told.push(`${u.file} ${u.commit}`) }).packageHistory('testing-devel', 'x86_64', 'foo');
        expect(told).toEqual([`manifest-lock.x86_64.json ${bad.rev(`testing-devel~${9 - broken}`)}`]);
        expect(rows.map((e) => e.evr)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0].filter((i) => i !== broken && i !== broken + 1).map((i) => `${i}-1.fc40`));
        expect(rows).toEqual(await new HistoryIndex(r, { cache: false }).packageHistory('testing-devel', 'x86_64', 'foo'));
      } finally {
        r.close();
      }
    }
  }, 120_000);
});
