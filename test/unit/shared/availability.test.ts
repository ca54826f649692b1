import { describe, expect, it } from 'vitest';
import { availability } from '../../../shared/availability';

describe('availability', () => {
  it('available, missing, or unknown where no metadata was read for the arch', () => {
    const pool = { x86_64: { fetched: '2024-10-01T00:00:00.000Z', nevras: new Set(['bash-5.2.26-3.fc40.x86_64', 'grub2-common-1:2.12-9.fc40.noarch', 'podman-5:5.2.5-1.fc40.x86_64']) }, s390x: null };
    expect(
      availability(
        [
          { nevra: 'podman-5:5.2.5-1.fc40.x86_64', arch: 'x86_64' },
          { nevra: 'podman-5:5.2.6-1.fc40.x86_64', arch: 'x86_64' },
          { nevra: 'podman-5:5.2.5-1.fc40.s390x', arch: 's390x' },
        ],
        pool,
      ),
    ).toEqual([
      { nevra: 'podman-5:5.2.5-1.fc40.x86_64', arch: 'x86_64', status: 'available', checked: '2024-10-01T00:00:00.000Z' },
      { nevra: 'podman-5:5.2.6-1.fc40.x86_64', arch: 'x86_64', status: 'missing', checked: '2024-10-01T00:00:00.000Z' },
      { nevra: 'podman-5:5.2.5-1.fc40.s390x', arch: 's390x', status: 'unknown', checked: null },
    ]);
  });
});
