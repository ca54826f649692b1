import { describe, expect, it } from 'vitest';
import { diffSnapshots, diffToJson, groupBySource } from '../../../../shared/lockfile/diff';
import { diffToMarkdown } from '../../../../shared/lockfile/diff-markdown';
import { buildSnapshot } from '../../../../shared/lockfile/snapshot';

const lock = (pkgs: Record<string, [string, string?]>) =>
  JSON.stringify({
    packages: Object.fromEntries(
      Object.entries(pkgs).map(([n, [evra, src]]) => [n, src ? { evra, metadata: { sourcerpm: src } } : { evra }]),
    ),
  });

const from = buildSnapshot('a'.repeat(40), [
  {
    name: 'manifest-lock.x86_64.json',
    text: lock({
      kernel: ['6.9.12-200.fc40.x86_64', 'kernel'],
      'kernel-core': ['6.9.12-200.fc40.x86_64', 'kernel'],
      podman: ['5:5.2.4-1.fc40.x86_64', 'podman'],
      gone: ['1-1.fc40.x86_64', 'gone'],
      tzdata: ['2024a-5.fc40.x86_64', 'tzdata'],
      rc: ['1.0-1.fc40.x86_64', 'rc'],
      same: ['0:1-1.fc40.x86_64', 'same'],
    }),
  },
  { name: 'manifest-lock.aarch64.json', text: lock({ podman: ['5:5.2.4-1.fc40.aarch64', 'podman'] }) },
  { name: 'manifest-lock.overrides.yaml', text: 'packages:\n  podman:\n    evr: 5:5.2.3-1.fc40\n    metadata:\n      type: pin\n' },
]);

const to = buildSnapshot('b'.repeat(40), [
  {
    name: 'manifest-lock.x86_64.json',
    text: lock({
      kernel: ['6.10.12-200.fc40.x86_64', 'kernel'],
      'kernel-core': ['6.10.12-200.fc40.x86_64', 'kernel'],
      podman: ['5:5.2.5-1.fc40.x86_64', 'podman'],
      tzdata: ['2024a-5.fc40.noarch', 'tzdata'],
      rc: ['1.0~rc1-1.fc40.x86_64', 'rc'],
      same: ['1-1.fc40.x86_64', 'same'],
      fresh: ['2-1.fc40.x86_64', 'fresh'],
    }),
  },
  { name: 'manifest-lock.aarch64.json', text: lock({ podman: ['5:5.2.5-1.fc40.aarch64', 'podman'] }) },
]);

describe('diffSnapshots', () => {
  const [x86, arm] = diffSnapshots(from, to);

  it('lists every arch either side has, in repo order', () => {
    expect(diffSnapshots(from, to).map((d) => d.arch)).toEqual(['x86_64', 'aarch64']);
  });

  it('classifies by rpm ordering, not string order', () => {
    const json = diffToJson([x86]).x86_64;
    expect(json.upgraded).toEqual({
      kernel: ['6.9.12-200.fc40', '6.10.12-200.fc40'],
      'kernel-core': ['6.9.12-200.fc40', '6.10.12-200.fc40'],
      podman: ['5:5.2.3-1.fc40', '5:5.2.5-1.fc40'],
    });
    expect(json.downgraded).toEqual({ rc: ['1.0-1.fc40', '1.0~rc1-1.fc40'] });
    expect(json.added).toEqual({ fresh: '2-1.fc40' });
    expect(json.removed).toEqual({ gone: '1-1.fc40' });
    expect(json.arch_changed).toEqual({ tzdata: ['x86_64', 'noarch'] });
  });

  it('treats a zero epoch as no epoch', () => {
    expect(x86.changes.find((c) => c.name === 'same')).toBeUndefined();
  });

  it('marks which side came from an override', () => {
    const podman = x86.changes.find((c) => c.name === 'podman')!;
    expect(podman.from?.override?.type).toBe('pin');
    expect(podman.to?.override).toBeUndefined();
    expect(arm.changes[0].from?.evr).toBe('5:5.2.3-1.fc40');
  });

  it('diffs lockfiles alone without overrides', () => {
    const [x] = diffSnapshots(from, to, { overrides: false });
    expect(diffToJson([x]).x86_64.upgraded.podman).toEqual(['5:5.2.4-1.fc40', '5:5.2.5-1.fc40']);
  });

  it('groups changes by source package', () => {
    const groups = groupBySource(x86.changes);
    expect(groups.find((g) => g.source === 'kernel')?.changes.map((c) => c.name)).toEqual(['kernel', 'kernel-core']);
  });

  it('uses a given source map when lockfiles lack sourcerpm', () => {
    const a = buildSnapshot('a'.repeat(40), [{ name: 'manifest-lock.x86_64.json', text: lock({ 'device-mapper': ['1.02.1-1.x86_64'] }) }]);
    const b = buildSnapshot('b'.repeat(40), [{ name: 'manifest-lock.x86_64.json', text: lock({ 'device-mapper': ['1.02.2-1.x86_64'] }) }]);
    const [d] = diffSnapshots(a, b, { sourceMap: { 'device-mapper': 'lvm2' } });
    expect(d.changes[0].source).toBe('lvm2');
  });

  it('makes an arch present on one side only all added or all removed', () => {
    const onlyX = buildSnapshot('c'.repeat(40), [{ name: 'manifest-lock.x86_64.json', text: lock({ a: ['1-1.x86_64'] }) }]);
    const [x, arm2] = diffSnapshots(onlyX, to);
    expect(arm2.counts.added).toBe(1);
    expect(arm2.fromHasLockfile).toBe(false);
    expect(x.counts.added).toBeGreaterThan(0);
  });

  it('always has all five keys in its JSON form', () => {
    const [d] = diffSnapshots(to, to);
    expect(diffToJson([d])).toEqual({ x86_64: { added: {}, removed: {}, upgraded: {}, downgraded: {}, arch_changed: {} } });
  });
});

describe('diffToMarkdown', () => {
  it('writes changes common to every arch once and the rest per arch', () => {
    const md = diffToMarkdown(diffSnapshots(from, to), {
      from: { label: 'stable', commit: 'a'.repeat(40), date: '2024-10-21T00:00:00Z' },
      to: { label: 'testing-devel', commit: 'b'.repeat(40) },
      overrides: true,
    });
    expect(md).toContain('### Lockfile diff: `stable` aaaaaaaaaaaa (2024-10-21) → `testing-devel` bbbbbbbbbbbb');
    expect(md).toContain('#### All arches (x86_64, aarch64): 1 upgraded');
    expect(md).toContain('| podman | 5:5.2.3-1.fc40 (pin) | 5:5.2.5-1.fc40 | upgraded |  |');
    expect(md).toContain('#### x86_64 only: 2 upgraded, 1 downgraded, 1 added, 1 removed, 1 arch changed');
    expect(md).toContain('| kernel | 6.9.12-200.fc40 | 6.10.12-200.fc40 | upgraded | kernel, kernel-core |');
    expect(md).toContain('| tzdata | 2024a-5.fc40.x86_64 | 2024a-5.fc40.noarch | arch changed |  |');
    expect(md).toContain('#### aarch64 only: nothing else');
  });
});
