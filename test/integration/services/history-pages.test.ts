/**
 * A long history read a page at a time (`packageHistoryPages`) and written as it comes by
 * `lockstep history --json`: the same entries in the same order as the whole answer and as the
 * walk without the index, and the CLI's JSON byte for byte what JSON.stringify makes of them.
 * 300 commits (more than a page of 256 and many JSON batches of 64) are written by one
 * `git fast-import`, not 300 `git commit`s.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryIndex } from '../../../main/services/history/history-index';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { runCli } from '../../helpers/cli';
import { lockfileJson } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const COMMITS = 300;

/** A bare repo whose testing-devel has `COMMITS` commits, each bumping foo, every third bar too. */
function longHistory(): string {
  const gitdir = makeTempDir('lockstep-pages-');
  execFileSync('git', ['init', '-q', '--bare', gitdir]);
  const blocks: string[] = [];
  for (let i = 1; i <= COMMITS; i++) {
    const lock = lockfileJson({ foo: `${i}-1.fc40.x86_64`, bar: `${Math.ceil(i / 3)}-1.fc40.x86_64` });
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
});
