import { describe, expect, it } from 'vitest';
import { countOverrides, effectiveLock } from '../../../../shared/lockfile/effective';
import { buildSnapshot } from '../../../../shared/lockfile/snapshot';

const lock = (pkgs: Record<string, string>) =>
  JSON.stringify({
    packages: Object.fromEntries(Object.entries(pkgs).map(([n, evra]) => [n, { evra, metadata: { sourcerpm: n.split('-')[0] } }])),
  });

const yaml = (entries: Record<string, Record<string, string>>) =>
  `packages:\n${Object.entries(entries)
    .map(
      ([n, e]) =>
        `  ${n}:\n${Object.entries(e)
          .map(([k, v]) => (k === 'type' ? `    metadata:\n      type: ${v}\n` : `    ${k}: ${v}\n`))
          .join('')}`,
    )
    .join('')}`;

const C = 'f'.repeat(40);

describe('effectiveLock', () => {
  const snap = buildSnapshot(C, [
    { name: 'manifest-lock.x86_64.json', text: lock({ podman: '5:5.2.4-1.fc40.x86_64', 'grub2-pc': '1:2.12-4.fc40.x86_64', bash: '5.2-1.fc40.x86_64' }) },
    { name: 'manifest-lock.s390x.json', text: lock({ podman: '5:5.2.4-1.fc40.s390x', bash: '5.2-1.fc40.s390x' }) },
    {
      name: 'manifest-lock.overrides.yaml',
      text: yaml({ podman: { evr: '5:5.2.5-1.fc40', type: 'fast-track' }, 'grub2-pc': { evr: '1:2.12-5.fc40', type: 'pin' } }),
    },
    { name: 'manifest-lock.overrides.x86_64.yaml', text: yaml({ podman: { evra: '5:5.2.3-1.fc40.x86_64', type: 'pin' } }) },
  ]);

  it('applies the arch file after the all-arch file, replacing the whole entry', () => {
    const x = effectiveLock(snap, 'x86_64');
    expect(x.packages.podman).toEqual({
      evr: '5:5.2.3-1.fc40',
      arch: 'x86_64',
      sourcerpm: 'podman',
      override: { file: 'manifest-lock.overrides.x86_64.yaml', type: 'pin' },
    });
  });

  it('keeps the replaced entry arch for an evr override', () => {
    const s = effectiveLock(snap, 's390x');
    expect(s.packages.podman).toMatchObject({ evr: '5:5.2.5-1.fc40', arch: 's390x', override: { type: 'fast-track' } });
  });

  it('marks an override of a package the arch lacks as inert, never adding it', () => {
    const s = effectiveLock(snap, 's390x');
    expect(s.packages['grub2-pc']).toBeUndefined();
    expect(s.inert.map((o) => o.name)).toEqual(['grub2-pc']);
    expect(effectiveLock(snap, 'x86_64').inert).toEqual([]);
  });

  it('leaves packages without overrides as the lockfile has them', () => {
    expect(effectiveLock(snap, 'x86_64').packages.bash).toEqual({ evr: '5.2-1.fc40', arch: 'x86_64', sourcerpm: 'bash' });
  });

  it('gives the lockfile alone without overrides', () => {
    expect(effectiveLock(snap, 'x86_64', false).packages.podman.evr).toBe('5:5.2.4-1.fc40');
  });

  it('gives an empty lock for an arch without lockfile and lists its overrides as inert', () => {
    const a = effectiveLock(snap, 'aarch64');
    expect(a.hasLockfile).toBe(false);
    expect(a.packages).toEqual({});
    expect(a.inert.map((o) => o.name).sort()).toEqual(['grub2-pc', 'podman']);
  });

  it('applies YAML before JSON in the same scope', () => {
    const s = buildSnapshot(C, [
      { name: 'manifest-lock.x86_64.json', text: lock({ a: '1-1.x86_64' }) },
      { name: 'manifest-lock.overrides.x86_64.json', text: '{"packages": {"a": {"evra": "3-1.x86_64"}}}' },
      { name: 'manifest-lock.overrides.x86_64.yaml', text: yaml({ a: { evr: '2-1' } }) },
    ]);
    expect(s.overrides.map((o) => o.file)).toEqual(['manifest-lock.overrides.x86_64.yaml', 'manifest-lock.overrides.x86_64.json']);
    expect(effectiveLock(s, 'x86_64').packages.a.evr).toBe('3-1');
  });

  it('counts overrides by type, a package in several files once', () => {
    expect(countOverrides(snap)).toEqual({ pin: 2, 'fast-track': 0, other: 0 });
  });
});

describe('buildSnapshot', () => {
  it('rejects both a JSON and a YAML lockfile for one arch', () => {
    expect(() =>
      buildSnapshot(C, [
        { name: 'manifest-lock.x86_64.json', text: '{"packages": {}}' },
        { name: 'manifest-lock.x86_64.yaml', text: 'packages: {}' },
      ]),
    ).toThrow(/both manifest-lock.x86_64.json and manifest-lock.x86_64.yaml/);
  });

  it('ignores files that are not lock data', () => {
    const s = buildSnapshot(C, [
      { name: 'manifest.yaml', text: 'x: 1' },
      { name: 'manifest-lock.generated.json', text: 'garbage' },
    ]);
    expect(s.lockfiles).toEqual({});
    expect(s.overrides).toEqual([]);
  });
});
