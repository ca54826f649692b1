import { describe, expect, it } from 'vitest';
import type { HistoryResult, HistoryRow } from '../../../../shared/api/types';
import { parseReachedVersion, reachedLine } from '../../../../shared/history/reached';

const row = (commit: string, date: string, changes: [string, string | null][]): HistoryRow => ({
  commit,
  date,
  subject: `subject ${commit}`,
  author: 'A',
  changes: changes.map(([name, evr]) => ({ name, evr, arch: evr ? 'x86_64' : null })),
});

// Newest first, as lanes come.
const lanes: HistoryResult['lanes'] = [
  {
    stream: 'testing-devel',
    rows: [
      row('t4', '2024-08-01T00:00:00Z', [['kernel', '6.10.3-200.fc40']]),
      row('t3', '2024-07-20T00:00:00Z', [['kernel', '6.10.0-100.fc40'], ['kernel-core', '6.10.0-100.fc40']]),
      row('t2', '2024-07-01T00:00:00Z', [['kernel', '6.9.12-200.fc40']]),
      row('t1', '2024-06-01T00:00:00Z', [['kernel', '6.9.2-100.fc40']]),
    ],
  },
  {
    stream: 'stable',
    rows: [
      row('s3', '2024-09-01T00:00:00Z', [['kernel', '6.10.3-200.fc40']]),
      // A dip back under the version does not undo the first time it was reached.
      row('s2', '2024-08-20T00:00:00Z', [['kernel', '6.9.12-200.fc40']]),
      row('s1b', '2024-08-10T00:00:00Z', [['kernel', '6.10.2-200.fc40']]),
      row('s1', '2024-06-01T00:00:00Z', [['kernel', '6.9.2-100.fc40']]),
    ],
  },
  { stream: 'next', rows: [row('n1', '2024-06-01T00:00:00Z', [['kernel', '6.9.12-200.fc40']])] },
  { stream: 'rawhide', rows: [row('r2', '2024-06-01T00:00:00Z', [['kernel', null]]), row('r1', '2024-05-01T00:00:00Z', [['kernel', '6.11.0-0.rc1.fc42']])] },
];

describe('reached line', () => {
  it('names the first commit on each stream whose version is at or past the chosen one, in rpm order', () => {
    const line = reachedLine(lanes, 'kernel', parseReachedVersion('6.10'));
    expect(line).toEqual([
      // 6.10.0 ≥ 6.10 although "6.10.0" sorts after "6.10" only by rpm's segment order.
      { stream: 'testing-devel', reached: true, commit: 't3', date: '2024-07-20T00:00:00Z', evr: '6.10.0-100.fc40' },
      { stream: 'stable', reached: true, commit: 's1b', date: '2024-08-10T00:00:00Z', evr: '6.10.2-200.fc40' },
      { stream: 'next', reached: false, current: '6.9.12-200.fc40' },
      // Reached once, then the package left the lockfile: it was reached all the same.
      { stream: 'rawhide', reached: true, commit: 'r1', date: '2024-05-01T00:00:00Z', evr: '6.11.0-0.rc1.fc42' },
    ]);
  });

  it('orders numerically, not as text: 6.9.12 is before 6.10', () => {
    const line = reachedLine(lanes.slice(0, 1), 'kernel', parseReachedVersion('6.9.10'));
    expect(line[0]).toMatchObject({ reached: true, commit: 't2' });
  });

  it('compares a full EVR with its release and reads only the chosen binary', () => {
    expect(reachedLine(lanes.slice(0, 1), 'kernel', parseReachedVersion('6.10.3-200.fc40'))[0]).toMatchObject({ commit: 't4' });
    expect(reachedLine(lanes.slice(0, 1), 'kernel-core', parseReachedVersion('6.10'))[0]).toMatchObject({ commit: 't3' });
    expect(reachedLine(lanes.slice(0, 1), 'kernel-core', parseReachedVersion('6.11'))[0]).toEqual({ stream: 'testing-devel', reached: false, current: '6.10.0-100.fc40' });
  });

  it('an epoch outranks any version', () => {
    expect(reachedLine(lanes.slice(0, 1), 'kernel', parseReachedVersion('1:5.0'))[0]).toMatchObject({ reached: false });
  });

  it('refuses a malformed version naming the field', () => {
    expect(() => parseReachedVersion('6.10 rc')).toThrow(/"reached" version "6.10 rc"/);
    expect(() => parseReachedVersion('')).toThrow(/reached/);
  });
});
