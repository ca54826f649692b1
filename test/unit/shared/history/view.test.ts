import { describe, expect, it } from 'vitest';
import type { HistoryEntry, HistoryResult } from '../../../../shared/api/types';
import { dateTicks, defaultCharted, foldRows, laneSteps, orderedLanes } from '../../../../shared/history/view';

type Entry = HistoryEntry & { name: string };
const entry = (commit: string, date: string, name: string, evr: string | null, override?: string): Entry => ({
  commit,
  date,
  name,
  evr,
  arch: evr ? 'x86_64' : null,
  subject: `subject ${commit}`,
  message: `subject ${commit}\n\nbody`,
  author: { name: 'A', email: 'a@example.org' },
  ...(override ? { override: { type: override, file: 'manifest-lock.overrides.yaml' } } : {}),
});

describe('history view model', () => {
  it('folds the binaries a commit changed into one row, newest commit first, binaries by name', () => {
    const rows = foldRows([
      entry('c2', '2024-02-01T00:00:00Z', 'kernel-core', '6.2-1.fc40'),
      entry('c2', '2024-02-01T00:00:00Z', 'kernel', '6.2-1.fc40', 'pin'),
      entry('c1', '2024-01-01T00:00:00Z', 'kernel', '6.1-1.fc40'),
    ]);
    expect(rows.map((r) => r.commit)).toEqual(['c2', 'c1']);
    expect(rows[0].changes.map((c) => c.name)).toEqual(['kernel', 'kernel-core']);
    expect(rows[0].changes[0].override?.type).toBe('pin');
    expect(rows[1].changes).toHaveLength(1);
    // Rows carry the subject and author; the whole message is read when a row opens.
    expect(rows[0]).toMatchObject({ subject: 'subject c2', author: 'A' });
    expect(rows[0]).not.toHaveProperty('message');
    expect(rows[1].changes[0]).not.toHaveProperty('override');
    // A commit's entries need not come together.
    const apart = foldRows([
      entry('c2', '2024-02-01T00:00:00Z', 'kernel-modules', '6.2-1.fc40'),
      entry('c1', '2024-01-01T00:00:00Z', 'kernel', '6.1-1.fc40'),
      entry('c2', '2024-02-01T00:00:00Z', 'kernel', '6.2-1.fc40'),
    ]);
    expect(apart.map((r) => [r.commit, r.changes.map((c) => c.name)])).toEqual([
      ['c2', ['kernel', 'kernel-modules']],
      ['c1', ['kernel']],
    ]);
  });

  it('orders lanes release streams first in promotion order, drops empty ones, and charts the release streams by default', () => {
    const e = foldRows([entry('c1', '2024-01-01T00:00:00Z', 'kernel', '6.1-1.fc40')]);
    const history: HistoryResult = {
      name: 'kernel',
      arch: 'x86_64',
      binaries: ['kernel'],
      source: null,
      lanes: [
        { stream: 'rhcos-4.10', rows: e },
        { stream: 'stable', rows: e },
        { stream: 'rhcos-4.6', rows: e },
        { stream: 'testing-devel', rows: e },
        { stream: 'next', rows: [] },
      ],
    };
    const lanes = orderedLanes(history);
    expect(lanes.map((l) => l.stream)).toEqual(['testing-devel', 'stable', 'rhcos-4.6', 'rhcos-4.10']);
    expect(defaultCharted(lanes)).toEqual(['testing-devel', 'stable']);
    expect(defaultCharted([{ stream: 'rhcos-4.6' }, { stream: 'main' }])).toEqual(['rhcos-4.6', 'main']);
  });

  it("gives a lane's steps for one binary oldest first, its current version last", () => {
    const lane = {
      stream: 'testing-devel',
      rows: foldRows([
        entry('c3', '2024-03-01T00:00:00Z', 'kernel', null),
        entry('c2', '2024-02-01T00:00:00Z', 'kernel-core', '6.2-1.fc40'),
        entry('c2', '2024-02-01T00:00:00Z', 'kernel', '6.2-1.fc40'),
        entry('c1', '2024-01-01T00:00:00Z', 'kernel', '6.1-1.fc40'),
      ]),
    };
    const steps = laneSteps(lane, 'kernel');
    expect(steps.points.map((p) => p.evr)).toEqual(['6.1-1.fc40', '6.2-1.fc40', null]);
    expect(steps.points[0].t).toBe(Date.parse('2024-01-01T00:00:00Z'));
    expect(steps.current).toBeNull();
    expect(laneSteps(lane, 'kernel-core').current).toBe('6.2-1.fc40');
  });

  it('puts date ticks on calendar boundaries, as many as fit', () => {
    const years = dateTicks(Date.parse('2019-08-01'), Date.parse('2024-10-24'), 6);
    expect(years.map((t) => t.label)).toEqual(['2020', '2021', '2022', '2023', '2024']);
    const months = dateTicks(Date.parse('2024-01-15'), Date.parse('2024-06-20'), 8);
    expect(months.map((t) => t.label)).toEqual(['2024-02', '2024-03', '2024-04', '2024-05', '2024-06']);
    const quarters = dateTicks(Date.parse('2023-01-15'), Date.parse('2024-06-20'), 8);
    expect(quarters.map((t) => t.label)).toEqual(['2023-04', '2023-07', '2023-10', '2024-01', '2024-04']);
    for (const t of [...years, ...months]) expect(new Date(t.t).toISOString().startsWith(t.label)).toBe(true);
  });
});
