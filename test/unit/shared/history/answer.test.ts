/**
 * The history answer's wire form must stand for exactly the rows the view folds: any history
 * (binaries, lanes sharing commits, merges, overrides, absent versions) decodes to what was
 * encoded, and what repeats is sent once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HistoryChange, HistoryResult, HistoryRow } from '../../../../shared/api/types';
import { decodeHistory, HistoryAnswerBuilder } from '../../../../shared/history/answer';
import { encodeHistory } from '../../../helpers/history-answer';

const BINARIES = ['kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-core', 'constructor', '__proto__'];
const STREAMS = ['testing-devel', 'testing', 'stable', 'next', 'rawhide', 'rhcos-4.6'];

const version = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ evr: null, arch: null }) },
  { weight: 5, arbitrary: fc.record({ evr: fc.tuple(fc.nat(2), fc.nat(4), fc.nat(3)).map(([e, v, r]) => `${e ? `${e}:` : ''}6.${v}.1-${r}.fc40`), arch: fc.constantFrom('x86_64', 'noarch') }) },
);
const override = fc.option(fc.record({ type: fc.constantFrom('pin', 'fast-track'), file: fc.constantFrom('manifest-lock.overrides.yaml', 'manifest-lock.overrides.x86_64.yaml') }), { nil: undefined });
const commit = fc.record(
  {
    commit: fc.stringMatching(/^[0-9a-f]{40}$/),
    date: fc.constantFrom('2024-01-01T00:00:00+00:00', '2024-02-03T04:05:06-04:00'),
    subject: fc.constantFrom('lockfiles: import from bodhi-updates', 'Add override for kernel', ''),
    author: fc.constantFrom('CoreOS Bot', 'Dusty Mabe'),
    merged: fc.array(fc.record({ commit: fc.stringMatching(/^[0-9a-f]{40}$/), subject: fc.constantFrom('a', 'b') }), { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: ['commit', 'date', 'subject', 'author'] },
);

/** Any history the back end can answer: each commit the same in every lane, changes in binary name order. */
const history: fc.Arbitrary<HistoryResult> = fc
  .record({
    binaries: fc.uniqueArray(fc.constantFrom(...BINARIES), { minLength: 1, maxLength: 4 }).map((b) => b.sort()),
    commits: fc.uniqueArray(commit, { selector: (c) => c.commit, minLength: 1, maxLength: 12 }),
    streams: fc.uniqueArray(fc.constantFrom(...STREAMS), { maxLength: 4 }),
    source: fc.option(fc.constant('kernel'), { nil: null }),
  })
  .chain(({ binaries, commits, streams, source }) => {
    const row = fc.record({
      at: fc.nat(commits.length - 1),
      changes: fc.uniqueArray(fc.constantFrom(...binaries), { minLength: 1 }).chain((names) =>
        fc.tuple(...names.sort().map((name) => fc.tuple(version, override).map(([v, o]): HistoryChange => ({ name, ...v, ...(o ? { override: o } : {}) })))),
      ),
    });
    const lane = fc.uniqueArray(row, { selector: (r) => r.at, maxLength: 10 });
    return fc.tuple(...streams.map(() => lane)).map((lanes) => ({
      name: binaries[0],
      arch: 'x86_64',
      binaries,
      source,
      lanes: lanes.map((rows, i) => ({ stream: streams[i], rows: rows.map(({ at, changes }): HistoryRow => ({ ...commits[at], changes })) })),
    }));
  });

const kernelRow = (commit: string, evr: string): HistoryRow => ({
  commit,
  date: '2024-01-01T00:00:00+00:00',
  subject: `bump ${evr}`,
  author: 'CoreOS Bot',
  changes: ['kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-core'].map((name) => ({ name, evr, arch: 'x86_64' })),
});

describe('history answer', () => {
  it('decodes to the history it was encoded from, for any history', () => {
    fc.assert(
      fc.property(history, (h) => {
        expect(decodeHistory(JSON.parse(JSON.stringify(encodeHistory(h))))).toEqual(h);
      }),
      { numRuns: 300 },
    );
  });

  it('sends a commit listed by several lanes, a version several binaries share, and a repeated set of changes once', () => {
    const rows = [kernelRow('c3', '6.3-1.fc40'), kernelRow('c2', '6.2-1.fc40'), kernelRow('c1', '6.2-1.fc40')];
    const a = encodeHistory({
      name: 'kernel',
      arch: 'x86_64',
      binaries: ['kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-core'],
      source: 'kernel',
      lanes: [
        { stream: 'testing-devel', rows },
        { stream: 'stable', rows: rows.slice(1) },
      ],
    });
    expect(a.commits.map((c) => c.commit)).toEqual(['c3', 'c2', 'c1']);
    expect(a.versions).toEqual([
      { evr: '6.3-1.fc40', arch: 'x86_64' },
      { evr: '6.2-1.fc40', arch: 'x86_64' },
    ]);
    expect(a.changeSets).toEqual([
      [0, 0, 1, 0, 2, 0, 3, 0],
      [0, 1, 1, 1, 2, 1, 3, 1],
    ]);
    expect(a.lanes).toEqual([
      { stream: 'testing-devel', commit: [0, 1, 2], changes: [0, 1, 1] },
      { stream: 'stable', commit: [1, 2], changes: [1, 1] },
    ]);
  });

  it('keeps an empty lane and an absent version', () => {
    const h: HistoryResult = {
      name: 'podman',
      arch: 'x86_64',
      binaries: ['podman'],
      source: null,
      lanes: [
        { stream: 'stable', rows: [] },
        { stream: 'testing', rows: [{ commit: 'c1', date: 'd', subject: 's', author: 'a', changes: [{ name: 'podman', evr: null, arch: null }] }] },
      ],
    };
    expect(decodeHistory(encodeHistory(h))).toEqual(h);
  });

  it('numbers binaries by their place in the answer, whatever order they were met in', () => {
    const b = new HistoryAnswerBuilder<number>();
    b.lane('stable');
    b.row(7);
    b.change('kernel-core', '6.1-1.fc40.x86_64');
    b.row(3);
    b.change('kernel', '6.1-1.fc40.x86_64', { type: 'pin', file: 'manifest-lock.overrides.yaml' });
    b.change('kernel-core', '6.1-1.fc40.x86_64');
    expect(b.keys()).toEqual([7, 3]);
    const commits = ['c7', 'c3'].map((commit) => ({ commit, date: 'd', subject: 's', author: 'a' }));
    const h = decodeHistory(b.finish({ name: 'kernel', arch: 'x86_64', source: 'kernel', binaries: ['kernel', 'kernel-core'] }, commits));
    expect(h.lanes[0].rows.map((r) => [r.commit, r.changes.map((c) => `${c.name} ${c.evr}.${c.arch}${c.override ? ` ${c.override.type}` : ''}`)])).toEqual([
      ['c7', ['kernel-core 6.1-1.fc40.x86_64']],
      ['c3', ['kernel 6.1-1.fc40.x86_64 pin', 'kernel-core 6.1-1.fc40.x86_64']],
    ]);
  });

  it('refuses a change of a binary the answer does not list, and commits that do not match the rows', () => {
    const b = new HistoryAnswerBuilder<string>();
    b.lane('stable');
    b.row('c1');
    b.change('kernel-core', '6.1-1.fc40.x86_64');
    const head = { name: 'kernel', arch: 'x86_64', source: null, binaries: ['kernel'] };
    expect(() => b.finish(head, [{ commit: 'c1', date: 'd', subject: 's', author: 'a' }])).toThrow(/kernel-core is not among the binaries/);
    expect(() => b.finish({ ...head, binaries: ['kernel-core'] }, [])).toThrow(/1 commits named, 0 given/);
  });
});
