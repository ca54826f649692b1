/**
 * The demo's streams while their history is written, and the verbs the story uses on them: the
 * bot's bump, an override edit, a promotion. Every random draw comes from one seeded source, in
 * the order the story asks for it, so the same `now` gives the same commit ids.
 */
import { LOCK_ARCHES as ARCHES } from '../../../shared/rpm/arches';
import { initialSources, type Src } from './catalog';
import { advance, hexOf } from './evolution';
import { lockfileText, lockPackages, type LockPkgs } from './lockfiles';
import { bumpBody } from './messages';
import { cloneOverrides, overrideFiles, type OverrideSet } from './overrides';
import { ALEX, BOT, type Person } from './people';
import { manifestYaml, README, type Arch, type Files } from './tree-files';
import type { DemoWriter, Oid } from './writer';

export const DAY = 86400;
export const HOUR = 3600;

/** A development stream (testing-devel, next-devel): the bot bumps its lockfiles. */
export interface DevLine {
  name: string;
  fc: number;
  state: Src[];
  overrides: OverrideSet;
  pkgs: Record<Arch, LockPkgs>;
  files: Files;
  head: Oid;
  fedoraRepo: number;
}

/** A stream fed by promotions (testing, stable, next). */
export interface PromotedLine {
  name: string;
  fc: number;
  head: Oid;
  files: Files;
  overrides: OverrideSet | null;
}

/** What happens on a day, at an hour: a day's tasks run in hour order. */
export type Task = [hour: number, run: () => void];

export interface World {
  readonly rand: () => number;
  readonly commit: DemoWriter['commit'];
  /** A time on `day` (0: the first day of the history) at `hour`, minutes and seconds drawn. */
  at(day: number, hour: number, minute?: number): number;
  /** A new Bodhi update URL. */
  bodhi(): string;
  readonly td: DevLine;
  /** next-devel, from the day it branches (60). */
  nd: DevLine | null;
  readonly testing: PromotedLine;
  readonly stable: PromotedLine;
  readonly next: PromotedLine;
  readonly rawhide: PromotedLine;
  /** testing-devel's first commit, where every other stream starts. */
  readonly root: Oid;
  /** A pull request's branch waiting to be merged. */
  sideBranch: { head: Oid; overrides: OverrideSet; title: string } | null;
  /** Commits each promoted stream received by promotion. */
  readonly promoted: Record<string, Oid[]>;
  lockFilesOf(line: DevLine, time: number): Files;
  computePkgs(line: DevLine): Record<Arch, LockPkgs>;
  /** The bot's bump: pick up repo changes, rewrite the lockfiles, name what moved. */
  bump(line: DevLine, time: number, randomCount: number): void;
  /** A maintainer's (or the bot's) change to the override files only. */
  editOverrides(line: DevLine | PromotedLine, time: number, message: string, author: Person): void;
  /** `to` takes `from`'s content (its own manifest kept). */
  promote(to: PromotedLine, from: { name: string; head: Oid }, time: number, author: Person): void;
}

/** The world on day 0: testing-devel's root commit written, every other stream at it. */
export function createWorld(writer: DemoWriter, start: number, rand: () => number): World {
  const commit = writer.commit;
  const at = (day: number, hour: number, minute = Math.floor(rand() * 50)) => start + day * DAY + hour * HOUR + minute * 60 + Math.floor(rand() * 60);

  const td: DevLine = {
    name: 'testing-devel',
    fc: 40,
    state: initialSources(),
    overrides: { all: {}, arch: {}, empty: '{}' },
    pkgs: {} as Record<Arch, LockPkgs>,
    files: {},
    head: Promise.resolve(''),
    fedoraRepo: start - 12 * DAY + 7 * HOUR + 1234,
  };
  const lockFilesOf = (line: DevLine, time: number): Files => {
    const files: Files = {};
    for (const arch of ARCHES) {
      files[`manifest-lock.${arch}.json`] = lockfileText(line.pkgs[arch], time - 300, line.fedoraRepo, time - 2 * HOUR - 417);
    }
    return files;
  };
  const computePkgs = (line: DevLine) => lockPackages(line.state, line.fc, line.overrides);

  {
    const t = at(0, 9);
    td.pkgs = computePkgs(td);
    td.files = { 'README.md': README, 'manifest.yaml': manifestYaml('testing-devel', 40), ...lockFilesOf(td, t), ...overrideFiles(td.overrides) };
    td.head = commit(td.files, td.overrides, 'tree: import the Fedora 40 lockfiles and an empty override file\n', [], t, ALEX);
  }
  const root = td.head;
  const promoted: Record<string, Oid[]> = { testing: [], stable: [], next: [] };

  return {
    rand,
    commit,
    at,
    bodhi: () => `https://bodhi.fedoraproject.org/updates/FEDORA-2024-${hexOf(rand, 10)}`,
    td,
    nd: null,
    testing: { name: 'testing', fc: 40, head: root, files: {}, overrides: null },
    stable: { name: 'stable', fc: 40, head: root, files: {}, overrides: null },
    next: { name: 'next', fc: 41, head: root, files: {}, overrides: null },
    rawhide: { name: 'rawhide', fc: 42, head: root, files: {}, overrides: { all: {}, arch: {}, empty: '{}' } },
    root,
    sideBranch: null,
    promoted,
    lockFilesOf,
    computePkgs,
    bump(line, time, randomCount) {
      const pool = line.state.filter((s) => s.random && !s.removed);
      for (let i = 0; i < randomCount; i++) advance(pool[Math.floor(rand() * pool.length)], rand);
      if (line.fc === 41) line.fedoraRepo = time - 20 * HOUR - 91; // the branched repo still moves
      const before = line.pkgs;
      line.pkgs = computePkgs(line);
      const body = bumpBody(before, line.pkgs);
      line.files = { ...line.files, ...lockFilesOf(line, time) };
      const message = body.length ? `lockfiles: bump to latest\n\n${body.join('\n')}\n` : 'lockfiles: bump timestamp\n';
      line.head = commit(line.files, line.overrides, message, [line.head], time, BOT);
    },
    editOverrides(line, time, message, author) {
      line.files = { ...line.files, ...overrideFiles(line.overrides!) };
      line.head = commit(line.files, line.overrides!, message, [line.head], time, author);
    },
    promote(to, from, time, author) {
      const snap = writer.contentOf(from.head);
      to.files = { ...snap.files, 'manifest.yaml': manifestYaml(to.name, to.fc) };
      to.overrides = cloneOverrides(snap.overrides);
      to.head = commit(to.files, to.overrides, from.head.then((oid) => `tree: promote changes from ${from.name} at ${oid}\n`), [to.head], time, author);
      promoted[to.name].push(to.head);
    },
  };
}
