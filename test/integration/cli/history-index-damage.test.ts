/**
 * The history index verifies itself (SPEC §6): every file of it zero-filled, truncated,
 * garbled, deleted, edited in place or appended to, and `lockstep history` still answers what
 * `--no-cache` answers, exit 0, nothing on stderr, and leaves the index as a fresh build writes
 * it (what only writers read, by the next writer). A malformed lockfile in a stream's past is named on stderr and leaves only its commit out.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { HistoryIndex } from '../../../main/services/history/history-index';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { runCli } from '../../helpers/cli';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

type Files = Record<string, Buffer>;

/** Commits on testing-devel in the repo below. */
const COMMITS = 8;

const readIndex = (dir: string): Files => Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));

function writeIndex(dir: string, files: Files): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), data);
}

/**
 * A version string in a text file changed in place (same length): the last one, which is foo's
 * in a rows file (bar's rows come first) and in the commit log; else one byte in the middle.
 */
function editInPlace(buf: Buffer, which: 'first' | 'last' = 'last'): Buffer {
  const out = Buffer.from(buf);
  const all = [...buf.toString('latin1').matchAll(/\d+\.\d+-\d+\.fc40/g)];
  const m = which === 'last' ? all.at(-1) : all[0];
  if (m) out[m.index] = 48 + ((out[m.index] - 48 + 1) % 10);
  else out[out.length >> 1] ^= 1;
  return out;
}

const DAMAGE: Record<string, (buf: Buffer) => Buffer | null> = {
  'zero-filled': (buf) => Buffer.alloc(buf.length),
  truncated: (buf) => buf.subarray(0, buf.length >> 1),
  garbled: (buf) => {
    const out = Buffer.from(buf);
    const from = out.length >> 2;
    crypto.randomBytes(Math.max(1, out.length >> 1)).copy(out, from);
    return out.subarray(0, buf.length);
  },
  deleted: () => null,
  'edited in place': (buf) => editInPlace(buf),
  'appended to': (buf) => Buffer.concat([buf, Buffer.from('0123456789abcdef{"x":1}\n')]),
};

describe('a damaged history index', () => {
  let repo: RepoBuilder;
  let dir: string;
  let fresh: Files;
  const expected: Record<string, string> = {};
  const ask = (arch: string, ...extra: string[]) => runCli(['history', 'foo', '--repo', repo.dir, '--stream', 'testing-devel', '--arch', arch, '--json', ...extra]);
  const askBar = (...extra: string[]) => runCli(['history', 'bar', '--repo', repo.dir, '--stream', 'testing-devel', '--json', ...extra]);

  beforeAll(() => {
    repo = createRepo();
    repo.branch('testing-devel');
    const locks = (i: number) => ({
      'manifest-lock.x86_64.json': lockfileJson({ foo: `${i}.0-1.fc40.x86_64`, bar: `${i >> 1}.0-1.fc40.x86_64` }),
      'manifest-lock.aarch64.json': lockfileJson({ foo: `${i}.0-1.fc40.aarch64`, bar: '1.0-1.fc40.aarch64' }),
    });
    // foo changes at every commit: a query for it reads every commit row and all of its rows.
    for (let i = 1; i <= 6; i++) repo.commit(`lockfiles: bump foo to ${i}.0-1.fc40`, locks(i));
    repo.commit('overrides: pin foo to 2.0-1.fc40', { ...locks(7), 'manifest-lock.overrides.yaml': overridesYaml({ foo: { evr: '2.0-1.fc40', type: 'pin', reason: 'https://example.org/r' } }) });
    repo.commit('overrides: unpin foo', { ...locks(8), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    dir = path.join(repo.gitdir, 'lockstep', 'history3');
    for (const arch of ['x86_64', 'aarch64']) {
      const r = ask(arch, '--no-cache');
      expect(r.status).toBe(0);
      expected[arch] = r.stdout;
    }
    expect(ask('x86_64').stdout).toBe(expected.x86_64);
    fresh = readIndex(dir);
  });
  afterAll(() => cleanupTempDirs());

  /** Commits the next writer walks when testing-devel moves on by one, on a clone whose index is `files`. */
  async function writerAfterOneCommit(files: Files): Promise<number> {
    const clone = path.join(makeTempDir(), 'clone');
    execFileSync('git', ['clone', '-q', repo.dir, clone]);
    const git = (...args: string[]) => execFileSync('git', ['-C', clone, '-c', 'user.name=T', '-c', 'user.email=t@example.org', ...args]).toString().trim();
    git('checkout', '-q', 'testing-devel');
    git('commit', '-q', '--allow-empty', '-m', 'one more');
    git('update-ref', 'refs/remotes/origin/testing-devel', 'HEAD');
    writeIndex(path.join(clone, '.git', 'lockstep', 'history3'), files);
    const r = await ConfigRepo.open(clone);
    try {
      const index = new HistoryIndex(r, { segments: false });
      await index.update('testing-devel');
      return index.lastBuildCommits;
    } finally {
      r.close();
    }
  }

  it('extends an undamaged index by the one new commit (the control for the writer checks below)', async () => {
    expect(await writerAfterOneCommit(fresh)).toBe(1);
  });

  it('has every file the cases below damage', () => {
    expect(Object.keys(fresh).map((f) => f.replace(/^[0-9a-f]{20}\./, '<key>.')).sort()).toEqual(
      ['<key>.aarch64.rows', '<key>.chain', '<key>.head', '<key>.json', '<key>.x86_64.rows', 'commits.json', 'commits.jsonl', 'commits.oid', 'commits.pos'].sort(),
    );
  });

  const cases = () => Object.keys(fresh).flatMap((file) => Object.keys(DAMAGE).map((how) => [file, how] as const));
  // The file list is known only once the index is built: one test walks every case, naming each.
  it('answers as --no-cache, exit 0, and rebuilds the index, whichever file is damaged and however', async () => {
    const failures: string[] = [];
    for (const [file, how] of cases()) {
      writeIndex(dir, fresh);
      const damaged = DAMAGE[how](fresh[file]);
      if (damaged) fs.writeFileSync(path.join(dir, file), damaged);
      else fs.rmSync(path.join(dir, file));
      const arch = file.includes('.aarch64.') ? 'aarch64' : 'x86_64';
      const r = ask(arch);
      const name = `${file.replace(/^[0-9a-f]{20}\./, '<key>.')} ${how}`;
      if (r.status !== 0) failures.push(`${name}: exit ${r.status}: ${r.stderr.trim()}`);
      else if (r.stdout !== expected[arch]) failures.push(`${name}: a different answer`);
      else if (r.stderr !== '') failures.push(`${name}: stderr ${r.stderr.trim()}`);
      else {
        const now = readIndex(dir);
        const differ = Object.keys({ ...fresh, ...now }).filter((f) => !fresh[f] || !now[f] || !fresh[f].equals(now[f]));
        // What only writers read (the oid file; the header's sections a query does not ask for:
        // head states, other arches) is checked by every writer before use: the next update
        // finds the damage and builds the stream from scratch instead of extending it.
        if (differ.join() === file && (file === 'commits.oid' || file.endsWith('.json'))) {
          const walked = await writerAfterOneCommit(now);
          if (walked !== COMMITS + 1) failures.push(`${name}: the next writer walked ${walked} commits, not all ${COMMITS + 1}`);
          continue;
        }
        if (differ.length) failures.push(`${name}: not rebuilt (${differ.join(', ')})`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('checks a package\'s rows when a query reads them: bar\'s damage is found by a query for bar', () => {
    writeIndex(dir, fresh);
    const rows = Object.keys(fresh).find((f) => f.endsWith('.x86_64.rows'))!;
    fs.writeFileSync(path.join(dir, rows), editInPlace(fresh[rows], 'first'));
    // foo's rows are intact: its answer is read as it is.
    expect(ask('x86_64').stdout).toBe(expected.x86_64);
    const r = askBar();
    expect([r.status, r.stdout, r.stderr]).toEqual([0, askBar('--no-cache').stdout, '']);
    expect(readIndex(dir)).toEqual(fresh);
  });

  it('never reads a stream against a commit table written after it', () => {
    writeIndex(dir, fresh);
    // The whole table gone; another stream, indexed first, writes a new one with its own rows.
    for (const f of ['commits.json', 'commits.jsonl', 'commits.pos', 'commits.oid']) fs.rmSync(path.join(dir, f));
    repo.branch('other', 'testing-devel~5');
    // More commit rows than the stream's index was written against: nothing but the table's birth tells them apart.
    for (let i = 0; i < 6; i++) repo.commit(`other: bar ${i}`, { 'manifest-lock.x86_64.json': lockfileJson({ bar: `9.${i}-1.fc40.x86_64` }) });
    repo.checkout('testing-devel');
    expect(runCli(['history', 'bar', '--repo', repo.dir, '--stream', 'other', '--json']).status).toBe(0);
    const r = ask('x86_64');
    expect([r.status, r.stdout, r.stderr]).toEqual([0, expected.x86_64, '']);
    repo.git('branch', '-D', 'other');
  });

  it('rebuilds an index of the format before (no checksums)', () => {
    writeIndex(dir, fresh);
    const header = Object.keys(fresh).find((f) => /^[0-9a-f]{20}\.json$/.test(f))!;
    fs.writeFileSync(path.join(dir, header), fresh[header].subarray(9));
    fs.writeFileSync(path.join(dir, 'commits.json'), JSON.stringify({ rows: 8 }));
    const r = ask('x86_64');
    expect([r.status, r.stdout, r.stderr]).toEqual([0, expected.x86_64, '']);
    expect(readIndex(dir)).toEqual(fresh);
  });
});

describe("a malformed lockfile in a stream's past", () => {
  afterAll(() => cleanupTempDirs());

  it('is named on stderr (file and commit) and leaves out only its commit, with and without the index', () => {
    const repo = createRepo();
    repo.branch('testing-devel');
    const lock = (arch: string, v: number) => ({ [`manifest-lock.${arch}.json`]: lockfileJson({ foo: `${v}-1.fc40.${arch}` }) });
    repo.commit('lockfiles: import', { ...lock('x86_64', 1), ...lock('aarch64', 1) });
    repo.commit('lockfiles: bump foo', { ...lock('x86_64', 2), ...lock('aarch64', 2) });
    repo.commit('lockfiles: a broken x86_64 lockfile', { 'manifest-lock.x86_64.json': '{"packages": {"foo": {"evra": "3-1.fc40.x86_64"}', ...lock('aarch64', 3) });
    const broken = repo.rev('testing-devel');
    repo.commit('lockfiles: x86_64 fixed', lock('x86_64', 3));
    repo.commit('overrides: a broken overrides file', { 'manifest-lock.overrides.yaml': 'packages:\n  foo: [\n' });
    const brokenOverrides = repo.rev('testing-devel');
    repo.commit('overrides: fixed', { 'manifest-lock.overrides.yaml': overridesYaml({}) });
    repo.commit('lockfiles: bump foo again', { ...lock('x86_64', 4), ...lock('aarch64', 4) });
    const answers = ['--no-cache', null, null].map((flag) => {
      const r = runCli(['history', 'foo', '--repo', repo.dir, '--stream', 'testing-devel', '--json', ...(flag ? [flag] : [])]);
      expect(r.status, r.stderr).toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toContain('manifest-lock.x86_64.json');
      expect(lines[0]).toContain(broken);
      expect(lines[1]).toContain('manifest-lock.overrides.yaml');
      expect(lines[1]).toContain(brokenOverrides);
      return JSON.parse(r.stdout) as { evr: string; subject: string }[];
    });
    // The second answer came from the index the first one with it built, the third warm.
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[0].map((e) => [e.evr, e.subject])).toEqual([
      ['4-1.fc40', 'lockfiles: bump foo again'],
      ['3-1.fc40', 'lockfiles: x86_64 fixed'],
      ['2-1.fc40', 'lockfiles: bump foo'],
      ['1-1.fc40', 'lockfiles: import'],
    ]);
    // aarch64 reads only the broken overrides file.
    const r = runCli(['history', 'foo', '--repo', repo.dir, '--stream', 'testing-devel', '--arch', 'aarch64', '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(brokenOverrides)]);
    expect((JSON.parse(r.stdout) as { evr: string }[]).map((e) => e.evr)).toEqual(['4-1.fc40', '3-1.fc40', '2-1.fc40', '1-1.fc40']);
  });

  it('treats two lockfiles for one arch as an unreadable commit', () => {
    const repo = createRepo();
    repo.branch('testing-devel');
    repo.commit('lockfiles: import', { 'manifest-lock.x86_64.json': lockfileJson({ foo: '1-1.fc40.x86_64' }) });
    repo.commit('lockfiles: a second x86_64 lockfile', { 'manifest-lock.x86_64.yaml': 'packages: {}\n' });
    const clash = repo.rev('testing-devel');
    repo.commit('lockfiles: the second one gone, foo bumped', { 'manifest-lock.x86_64.yaml': null, 'manifest-lock.x86_64.json': lockfileJson({ foo: '2-1.fc40.x86_64' }) });
    for (const extra of [['--no-cache'], []]) {
      const r = runCli(['history', 'foo', '--repo', repo.dir, '--stream', 'testing-devel', '--json', ...extra]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(clash);
      expect((JSON.parse(r.stdout) as { evr: string }[]).map((e) => e.evr)).toEqual(['2-1.fc40', '1-1.fc40']);
    }
  });
});
