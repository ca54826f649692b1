import { describe, expect, it } from 'vitest';
import { acceptedUpdates, buildArgsRelease, carriedSince, cvesIn, lockedSources, releaseFix, type SecurityUpdate } from '../../../../shared/bodhi/advisories';
import { buildSnapshot } from '../../../../shared/lockfile/snapshot';

const raw = (over: Record<string, unknown>) => ({
  alias: 'FEDORA-2026-aaaa000001',
  type: 'security',
  status: 'stable',
  severity: 'high',
  release: { name: 'F41', version: '41' },
  builds: [{ nvr: 'podman-5.2.6-1.fc41', epoch: 5 }],
  bugs: [{ title: 'CVE-2026-0001 podman' }],
  ...over,
});

describe('advisories rules', () => {
  it('keeps only security updates of the release asked for, testing or stable, whatever the server sent', () => {
    const list = [
      raw({}),
      raw({ alias: 'FEDORA-2026-aaaa000002', type: 'bugfix' }),
      raw({ alias: 'FEDORA-2026-aaaa000003', status: 'obsolete' }),
      raw({ alias: 'FEDORA-2026-aaaa000004', status: 'unpushed' }),
      raw({ alias: 'FEDORA-2026-aaaa000005', release: { name: 'F42', version: '42' } }),
      raw({ alias: 'FEDORA-2026-aaaa000006', status: 'testing' }),
    ];
    expect(acceptedUpdates(list, 41, 'here').updates.map((u) => u.alias)).toEqual(['FEDORA-2026-aaaa000001', 'FEDORA-2026-aaaa000006']);
  });

  it('reads CVE ids from titles, once each, upper-cased and sorted', () => {
    expect(cvesIn(['cve-2026-10001 x [fedora-all]', 'CVE-2025-0002, CVE-2026-10001', 'no cve here'])).toEqual(['CVE-2025-0002', 'CVE-2026-10001']);
  });

  it("reads build-args.conf's VERSION=", () => {
    expect(buildArgsRelease('STREAM=testing-devel\nDESCRIPTION=x\nVERSION=42\nBUILDER_IMG=y\n')).toBe(42);
    expect(buildArgsRelease('STREAM=x\n# VERSION=40\n')).toBeNull();
  });

  it("a source's version: its binary of the same name, else its binaries when they agree; the lowest arch counts", () => {
    const lock = (arch: string, pkgs: Record<string, [string, string]>) => ({
      name: `manifest-lock.${arch}.json`,
      text: JSON.stringify({ packages: Object.fromEntries(Object.entries(pkgs).map(([n, [evr, src]]) => [n, { evra: `${evr}.${arch}`, metadata: { sourcerpm: src } }])) }),
    });
    const snap = buildSnapshot('c', [
      lock('x86_64', { podman: ['5:5.2.6-1.fc41', 'podman'], afterburn: ['5.7.0-1.fc41', 'rust-afterburn'], 'device-mapper': ['1.02.199-1.fc41', 'lvm2'], 'device-mapper-libs': ['1.02.198-1.fc41', 'lvm2'] }),
      lock('aarch64', { podman: ['5:5.2.3-1.fc41', 'podman'] }),
    ]);
    const l = lockedSources(snap);
    expect(l.get('podman')).toMatchObject({ evr: '5:5.2.3-1.fc41', arch: 'aarch64', binary: 'podman' });
    expect(l.get('rust-afterburn')).toMatchObject({ evr: '5.7.0-1.fc41', binary: 'afterburn' });
    expect(l.has('lvm2')).toBe(false);
  });

  it('since: the oldest commit of the newest unbroken run at the fix or newer', () => {
    const min = { epoch: '0', version: '1.2', release: '1' };
    expect(carriedSince([{ commit: 'c5', evr: '1.3-1' }, { commit: 'c4', evr: '1.2-1' }, { commit: 'c3', evr: '1.1-1' }, { commit: 'c2', evr: '1.2-1' }], min)).toBe('c4');
    expect(carriedSince([{ commit: 'c5', evr: null }, { commit: 'c4', evr: '1.2-1' }], min)).toBeNull();
  });

  it('the fix of a release is its oldest update naming a CVE for the same source', () => {
    const u = (alias: string, submitted: string, nvr: string, cves: string[]): SecurityUpdate => ({ alias, url: '', severity: 'high', status: 'stable', release: '41', submitted, builds: [{ nvr, epoch: 0 }], cves });
    const list = [u('FEDORA-2026-b000000002', '2026-11-20', 'openssh-9.8p1-5.fc41', ['CVE-1']), u('FEDORA-2026-b000000001', '2026-11-02', 'openssh-9.8p1-3.fc41', ['CVE-1']), u('FEDORA-2026-b000000003', '2026-10-01', 'curl-8-1.fc41', ['CVE-1'])];
    expect(releaseFix(41, ['openssh'], ['CVE-1'], list)?.update.alias).toBe('FEDORA-2026-b000000001');
    expect(releaseFix(42, ['openssh'], ['CVE-1'], list)).toBeNull();
    expect(releaseFix(41, ['openssh'], ['CVE-2'], list)).toBeNull();
  });
});
