/**
 * A long history read a page at a time (`packageHistoryPages`) and written as it comes by
 * `lockstep history --json`: the same entries in the same order as the whole answer and as the
 * walk without the index, and the CLI's JSON byte for byte what JSON.stringify makes of them.
 * 1,200 commits (many pages of 128 and JSON batches of 64) are written by one
 * `git fast-import`, not 1,200 `git commit`s.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryIndex } from '../../../main/services/history/history-index';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { CLI, runCli } from '../../helpers/cli';
import { lockfileJson } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const COMMITS = 1200;

/** A bare repo whose testing-devel has `COMMITS` commits, each bumping foo, every third bar too, and rare twice. */
function longHistory(): string {
  const gitdir = makeTempDir('lockstep-pages-');
  execFileSync('git', ['init', '-q', '--bare', gitdir]);
  const blocks: string[] = [];
  for (let i = 1; i <= COMMITS; i++) {
    const lock = lockfileJson({ foo: `${i}-1.fc40.x86_64`, bar: `${Math.ceil(i / 3)}-1.fc40.x86_64`, rare: `${i < 600 ? 1 : i < 1100 ? 2 : 3}-1.fc40.x86_64` });
    // Subjects JSON has to escape: quotes, a backslash, a tab, and text beyond Latin-1.
    const message = `lockfiles: bump foo to ${i} "quoted" \\ \t ü 🎓\n\nbody line ${i}\n`;
    const when = 1_700_000_000 + i * 3600;
    blocks.push(
      'commit refs/heads/testing-devel',
      `committer Test Maintainer <maintainer@example.org> ${when} +0000`,
      `data ${Buffer.byteLength(message)}`,
      message,
      `M 100644 inline manifest-lock.x86_64.json`,
      `data ${Buffer.byteLength(lock)}`,
      lock,
    );
  }
  execFileSync('git', ['--git-dir', gitdir, 'fast-import', '--quiet'], { input: `${blocks.join('\n')}\n` });
  return gitdir;
}

describe('a long history a page at a time', () => {
  let gitdir: string;
  beforeAll(() => {
    gitdir = longHistory();
  });
  afterAll(() => cleanupTempDirs());

  it('gives the whole answer in pages, newest first, each page at most its size', async () => {
    const repo = await ConfigRepo.open(gitdir);
    try {
      const index = new HistoryIndex(repo);
      const whole = await index.packageHistory('testing-devel', 'x86_64', 'foo');
      expect(whole.map((e) => e.evr)).toEqual(Array.from({ length: COMMITS }, (_, i) => `${COMMITS - i}-1.fc40`));
      const pages = [...(await index.packageHistoryPages('testing-devel', 'x86_64', 'foo', 7))];
      expect(pages.every((p) => p.length > 0 && p.length <= 7)).toBe(true);
      expect(pages.length).toBe(Math.ceil(COMMITS / 7));
      expect(pages.flat()).toEqual(whole);
      const bars = await index.packageHistory('testing-devel', 'x86_64', 'bar');
      expect(bars.map((e) => e.evr)).toEqual(Array.from({ length: COMMITS / 3 }, (_, i) => `${COMMITS / 3 - i}-1.fc40`));
      expect(bars[0].subject).toBe(`lockfiles: bump foo to ${COMMITS - 2} "quoted" \\ \t ü 🎓`);
    } finally {
      repo.close();
    }
  });

  it('writes --json from the index byte for byte as the walk without it, and as JSON.stringify of the entries', () => {
    const args = ['history', 'foo', '--repo', gitdir, '--stream', 'testing-devel', '--json'];
    const walked = runCli([...args, '--no-cache']);
    const indexed = runCli(args);
    expect(indexed.status).toBe(0);
    expect(indexed.stdout).toBe(walked.stdout);
    const entries = JSON.parse(indexed.stdout) as { evr: string }[];
    expect(entries).toHaveLength(COMMITS);
    expect(entries[0].evr).toBe(`${COMMITS}-1.fc40`);
    expect(indexed.stdout).toBe(`${JSON.stringify(entries, null, 2)}\n`);
  });

  it('writes all of a long answer, in order, to a non-blocking pipe its reader leaves full for a while', async () => {
    const args = ['history', 'foo', '--repo', gitdir, '--stream', 'testing-devel', '--json'];
    const expected = runCli(args).stdout;
    expect(Buffer.byteLength(expected)).toBeGreaterThan(4 * 65536);
    // A stdout that says EAGAIN when full, as a terminal another program left non-blocking can.
    // Node's spawn makes a child's stdio blocking, so perl (essential on Debian) sets the flag
    // on the FIFO's write end and then becomes the CLI.
    const fifo = path.join(makeTempDir(), 'out');
    execFileSync('mkfifo', [fifo]);
    const rd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const wr = fs.openSync(fifo, fs.constants.O_WRONLY);
    const nonBlocking = 'use Fcntl; fcntl(STDOUT, F_SETFL, fcntl(STDOUT, F_GETFL, 0) | O_NONBLOCK) or die $!; exec @ARGV or die $!';
    const child = spawn('perl', ['-e', nonBlocking, process.execPath, CLI, ...args], { stdio: ['ignore', wr, 'pipe'] });
    fs.closeSync(wr);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Read nothing until the CLI waits in its event loop for the pipe to take more: the pipe is
    // full and its writes went to the stream (observed in /proc, not guessed with a sleep).
    const wchan = () => fs.readFileSync(`/proc/${child.pid}/wchan`, 'utf8');
    for (let i = 0; i < 2000 && !/epoll/.test(wchan()); i++) await new Promise((r) => setTimeout(r, 5));
    expect(wchan()).toMatch(/epoll/);
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(65536);
    for (let done = false; !done; ) {
      let n = 0;
      try {
        n = fs.readSync(rd, buf, 0, buf.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        await new Promise((r) => setImmediate(r));
        continue;
      }
      if (n === 0) done = true;
      else chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    fs.closeSync(rd);
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect(Buffer.concat(chunks).toString()).toBe(expected);
  });

  it('finds a damaged commit line whether a query checks its lines one by one (rare) or the whole log at once (foo), and answers from a rebuilt index', () => {
    const log = path.join(gitdir, 'lockstep', 'history3', 'commits.jsonl');
    for (const [name, what] of [
      ['rare', (text: Buffer) => text.indexOf('bump foo to 600 ') + 3],
      ['foo', (text: Buffer) => text.indexOf('\n', text.length >> 1)],
    ] as const) {
      const args = ['history', name, '--repo', gitdir, '--stream', 'testing-devel', '--json'];
      const expected = runCli([...args, '--no-cache']).stdout;
      expect(runCli(args).stdout).toBe(expected);
      const text = fs.readFileSync(log);
      const at = what(text);
      expect(at).toBeGreaterThan(0);
      const damaged = Buffer.from(text);
      damaged[at] ^= 0x20; // a letter's case, or a newline made '*'
      fs.writeFileSync(log, damaged);
      const r = runCli(args);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(expected);
      expect(fs.readFileSync(log)[at]).toBe(text[at]);
    }
  });
});
