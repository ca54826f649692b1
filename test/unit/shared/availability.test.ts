import { describe, expect, it } from 'vitest';
import { availability, nevrasFromPrimaryXml } from '../../../shared/availability';

const primary = `<?xml version="1.0"?>
<metadata packages="3">
<package type="rpm">
  <name>podman</name>
  <arch>x86_64</arch>
  <version epoch="5" ver="5.2.5" rel="1.fc40"/>
</package>
<package type="rpm">
  <name>grub2-common</name>
  <arch>noarch</arch>
  <version epoch="1" ver="2.12" rel="9.fc40"/>
</package>
<package type="rpm">
  <name>bash</name>
  <arch>x86_64</arch>
  <version epoch="0" ver="5.2.26" rel="3.fc40"/>
</package>
<package type="rpm">
  <name>bash</name>
  <arch>src</arch>
  <version epoch="0" ver="5.2.26" rel="3.fc40"/>
</package>
</metadata>`;

describe('nevrasFromPrimaryXml', () => {
  it('lists every binary NEVRA, a zero epoch omitted, source RPMs left out', () => {
    expect([...nevrasFromPrimaryXml(primary)].sort()).toEqual(['bash-5.2.26-3.fc40.x86_64', 'grub2-common-1:2.12-9.fc40.noarch', 'podman-5:5.2.5-1.fc40.x86_64']);
  });
});

describe('availability', () => {
  it('available, missing, or unknown where no metadata was read for the arch', () => {
    const pool = { x86_64: { fetched: '2024-10-01T00:00:00.000Z', nevras: nevrasFromPrimaryXml(primary) }, s390x: null };
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
