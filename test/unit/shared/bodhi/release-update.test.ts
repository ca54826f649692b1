import { describe, expect, it } from 'vitest';
import { newestReleaseUpdate } from '../../../../shared/bodhi/release-update';

// The list API's update JSON (bodhi-server models.py Update.__json__): only what the picker reads.
const update = (alias: string, release: number, status: string, builds: [string, number][]) => ({
  alias,
  url: `https://bodhi.fedoraproject.org/updates/${alias}`,
  type: 'bugfix',
  status,
  release: { name: `F${release}`, version: String(release), dist_tag: `f${release}` },
  builds: builds.map(([nvr, epoch]) => ({ nvr, epoch })),
});

describe('newestReleaseUpdate', () => {
  it('takes the newest build of the source by rpm order, not the first listed', () => {
    const got = newestReleaseUpdate(
      [update('FEDORA-2026-0000000001', 41, 'stable', [['podman-5.2.10-1.fc41', 5]]), update('FEDORA-2026-0000000002', 41, 'testing', [['podman-5.2.9-1.fc41', 5]])],
      'podman',
      41,
    );
    expect(got).toMatchObject({ alias: 'FEDORA-2026-0000000001', nvr: 'podman-5.2.10-1.fc41', status: 'stable', release: 41 });
  });

  it('compares epochs first', () => {
    const got = newestReleaseUpdate([update('FEDORA-2026-0000000001', 41, 'stable', [['shim-16.0-1.fc41', 0]]), update('FEDORA-2026-0000000002', 41, 'stable', [['shim-15.8-1.fc41', 1]])], 'shim', 41);
    expect(got?.alias).toBe('FEDORA-2026-0000000002');
  });

  it('leaves out what a server should not have sent: another release, an obsolete update, another source, a malformed entry', () => {
    const got = newestReleaseUpdate(
      [
        update('FEDORA-2026-0000000001', 42, 'stable', [['podman-9.0-1.fc42', 5]]),
        update('FEDORA-2026-0000000002', 41, 'obsolete', [['podman-9.0-1.fc41', 5]]),
        update('FEDORA-2026-0000000003', 41, 'stable', [['podman-docker-9.0-1.fc41', 5]]),
        { alias: 'FEDORA-2026-0000000004', builds: 'podman-9.0-1.fc41' },
        update('FEDORA-2026-0000000005', 41, 'stable', [['podman-5.2.5-1.fc41', -1]]),
        update('FEDORA-2026-0000000006', 41, 'stable', [['podman-5.2.5-1.fc41', 5]]),
      ],
      'podman',
      41,
    );
    expect(got?.alias).toBe('FEDORA-2026-0000000006');
    expect(newestReleaseUpdate([update('FEDORA-2026-0000000001', 42, 'stable', [['podman-9.0-1.fc42', 5]])], 'podman', 41)).toBeNull();
  });
});
