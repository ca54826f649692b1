import { describe, expect, it } from 'vitest';
import { age, fastTrackPlan, groupByCve } from '../../../../renderer/features/advisories/advisory-groups';
import type { AdvisoryRow } from '../../../../shared/bodhi/advisories';

const row = (stream: string, alias: string, build: string, severity: AdvisoryRow['severity'], cves: string[]): AdvisoryRow => ({
  stream,
  alias,
  url: '',
  severity,
  status: 'stable',
  source: build.replace(/-[^-]+-[^-]+$/, ''),
  locked: '1-1.fc41',
  build,
  cves,
  release: 41,
  submitted: '2026-11-01 00:00:00',
});

describe('advisory groups', () => {
  const rows = [
    row('stable', 'FEDORA-2026-a1', 'openssh-9.8p1-3.fc41', 'high', ['CVE-2026-1001']),
    row('stable', 'FEDORA-2026-a2', 'openssh-9.8p1-5.fc41', 'high', ['CVE-2026-1001', 'CVE-2026-1002']),
    row('next-devel', 'FEDORA-2026-b1', 'openssh-9.9p1-2.fc42', 'high', ['CVE-2026-1001']),
    row('stable', 'FEDORA-2026-c1', 'podman-5.2.6-1.fc41', 'urgent', ['CVE-2026-2002']),
    row('stable', 'FEDORA-2026-d1', 'curl-8.9.1-3.fc41', 'low', []),
  ];

  it('groups by CVE across streams, most severe first; a row naming no CVE stands under its update', () => {
    expect(groupByCve(rows).map((g) => [g.key, g.severity, g.rows.length])).toEqual([
      ['CVE-2026-2002', 'urgent', 1],
      ['CVE-2026-1001', 'high', 3],
      ['CVE-2026-1002', 'high', 1],
      ['FEDORA-2026-d1', 'low', 1],
    ]);
  });

  it("fast-tracks each stream to its own release's newest fix", () => {
    const g = groupByCve(rows).find((x) => x.key === 'CVE-2026-1001')!;
    expect(fastTrackPlan(g.rows)).toEqual([
      { stream: 'stable', alias: 'FEDORA-2026-a2' },
      { stream: 'next-devel', alias: 'FEDORA-2026-b1' },
    ]);
  });

  it("says an update's age in days from Bodhi's dates", () => {
    expect(age('2026-11-01 00:00:00', Date.parse('2026-11-04T12:00:00Z'))).toBe('3 days');
    expect(age(null)).toBe('-');
  });
});
