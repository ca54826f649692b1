import { describe, expect, it } from 'vitest';
import type { HistoryResult, HistoryRow } from '../../../../shared/api/types';
import { dateTicks, defaultCharted, laneSteps, orderedLanes } from '../../../../shared/history/view';

/** A lane's row: a commit and the binaries it moved (in name order). */
const row = (commit: string, date: string, changes: [string, string | null, string?][]): HistoryRow => ({
  commit,
  date,
  subject: `subject ${commit}`,
  author: 'A',
  changes: changes.map(([name, evr, override]) => ({ name, evr, arch: evr ? 'x86_64' : null, ...(override ? { override: { type: override, file: 'manifest-lock.overrides.yaml' } } : {}) })),
});

describe('history view model', () => {
  it('orders lanes release streams first in promotion order, drops empty ones, and charts the release streams by default', () => {
    const e = [row('c1', '2024-01-01T00:00:00Z', [['kernel', '6.1-1.fc40']])];
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
      rows: [
        row('c3', '2024-03-01T00:00:00Z', [['kernel', null]]),
        row('c2', '2024-02-01T00:00:00Z', [
          ['kernel', '6.2-1.fc40', 'pin'],
          ['kernel-core', '6.2-1.fc40'],
        ]),
        row('c1', '2024-01-01T00:00:00Z', [['kernel', '6.1-1.fc40']]),
      ],
    };
    const steps = laneSteps(lane, 'kernel');
    expect(steps.points.map((p) => p.evr)).toEqual(['6.1-1.fc40', '6.2-1.fc40', null]);
    expect(steps.points[0].t).toBe(Date.parse('2024-01-01T00:00:00Z'));
    expect(steps.points[1].override).toBe('pin');
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

describe('chart labels', () => {
  it('writes a version at each change that has room, inside the shown window only', async () => {
    const { labelledChanges } = await import('../../../../shared/history/view');
    const pts = [0, 10, 20, 100, 200, 205, 400].map((t) => ({ t, evr: '1.0-1' }));
    // 1 px per unit, labels 5 chars × 6 px = 30 px wide, 8 px gap: a change needs 38 px after the last label.
    expect([...labelledChanges(pts, 0, 400, (t) => t, 6)]).toEqual([0, 3, 4, 6]);
    // Zoomed in 10×: every change in the window has room.
    expect([...labelledChanges(pts, 0, 20, (t) => t * 10, 6)]).toEqual([0, 1, 2]);
    expect([...labelledChanges(pts, 150, 400, (t) => t, 6)]).toEqual([4, 6]);
  });
});
