import { describe, expect, it } from 'vitest';
import type { Lockfile, OverrideEntry, Snapshot } from '../../../shared/lockfile/types';
import { ageText, flagText, overridesBoard, type BoardStreamInput } from '../../../shared/overrides-board';

const lock = (arch: string, pkgs: Record<string, string>): Lockfile => ({
  arch,
  file: `manifest-lock.${arch}.json`,
  packages: Object.fromEntries(Object.entries(pkgs).map(([n, evr]) => [n, { evr, arch }])),
});
const entry = (name: string, evr: string, type: string | null, file: string, extra: Partial<OverrideEntry> = {}): OverrideEntry => ({ name, evr, arch: null, type, file, ...extra });
const ALL = 'manifest-lock.overrides.yaml';
const snap = (lockfiles: Lockfile[], files: { scope: string; entries: OverrideEntry[] }[]): Snapshot => ({
  commit: 'c',
  lockfiles: Object.fromEntries(lockfiles.map((l) => [l.arch, l])),
  overrides: files.map((f) => ({ file: f.scope === 'all' ? ALL : `manifest-lock.overrides.${f.scope}.yaml`, scope: f.scope, entries: Object.fromEntries(f.entries.map((e) => [e.name, e])) })),
});
const base = { podman: '5:5.2.5-1.fc40', 'grub2-pc': '1:2.12-4.fc40', kernel: '6.11.4-201.fc40', crun: '1.17-1.fc40' };

const streams: BoardStreamInput[] = [
  {
    stream: 'next-devel',
    head: 'n',
    snapshot: snap([lock('x86_64', base), lock('aarch64', base)], [{ scope: 'all', entries: [entry('podman', '5:5.2.5-1.fc40', 'fast-track', ALL, { bodhi: 'https://bodhi.example/u/1' })] }]),
  },
  {
    stream: 'testing-devel',
    head: 't',
    snapshot: snap(
      [lock('x86_64', { ...base, crun: '1.18-1.fc40' }), lock('aarch64', { ...base, crun: '1.18-1.fc40' }), lock('s390x', { podman: base.podman, kernel: base.kernel, crun: '1.18-1.fc40' })],
      [
        // grub2-pc is not in s390x's lockfile: inert there.
        { scope: 'all', entries: [entry('grub2-pc', '1:2.12-4.fc40', 'pin', ALL, { reason: 'https://issue/1' }), entry('crun', '1.17-1.fc40', 'fast-track', ALL)] },
        // kernel overridden for aarch64 only, while x86_64 and s390x lock it too.
        { scope: 'aarch64', entries: [entry('kernel', '6.11.5-200.fc40', 'fast-track', 'manifest-lock.overrides.aarch64.yaml')] },
      ],
    ),
    graduation: [{ name: 'crun', file: ALL, status: 'graduated' }],
  },
  { stream: 'stable', head: 's', snapshot: snap([lock('x86_64', base)], [{ scope: 'all', entries: [entry('grub2-pc', '1:2.12-4.fc40', 'pin', ALL)] }]) },
];

describe('overrides board', () => {
  const drafts = [
    { branch: 'lockstep/testing-devel/kernel-a', stream: 'testing-devel', type: 'fast-track', packages: ['kernel', 'kernel-core'], state: 'draft', stale: false },
    { branch: 'lockstep/testing-devel/kernel-b', stream: 'testing-devel', type: 'pin', packages: ['kernel'], state: 'pushed', stale: true },
    { branch: 'lockstep/testing-devel/old', stream: 'testing-devel', type: 'pin', packages: ['kernel'], state: 'cancelled', stale: false },
    { branch: 'lockstep/stable/kernel', stream: 'stable', type: 'pin', packages: ['kernel'], state: 'draft', stale: false },
  ];
  const board = overridesBoard(streams, drafts);
  const row = (stream: string, name: string) => board.overrides.find((o) => o.stream === stream && o.name === name)!;

  it('lists every override of every stream, streams in promotion order', () => {
    expect(board.streams.map((s) => s.stream)).toEqual(['testing-devel', 'stable', 'next-devel']);
    expect(board.overrides.map((o) => `${o.stream}:${o.name}:${o.scope}`)).toEqual([
      'testing-devel:crun:all',
      'testing-devel:grub2-pc:all',
      'testing-devel:kernel:aarch64',
      'stable:grub2-pc:all',
      'next-devel:podman:all',
    ]);
    expect(row('testing-devel', 'grub2-pc')).toMatchObject({ type: 'pin', reason: 'https://issue/1', bodhi: null });
  });

  it('marks an override inert on the arches whose lockfile lacks its package', () => {
    expect(row('testing-devel', 'grub2-pc').inertOn).toEqual(['s390x']);
    expect(row('stable', 'grub2-pc').inertOn).toEqual([]);
  });

  it('marks a fast-track redundant only when every base lock it applies to is newer, and reads graduation from the cache', () => {
    expect(row('testing-devel', 'crun')).toMatchObject({ redundant: true, graduation: 'graduated' });
    // The base equal to the override is what a lockfile bump does while the override exists: not redundant.
    expect(row('next-devel', 'podman')).toMatchObject({ redundant: false, graduation: null });
    expect(row('testing-devel', 'grub2-pc').redundant).toBe(false);
  });

  it('flags a fast-track on one development stream and not on its peer', () => {
    expect(row('next-devel', 'podman').flags).toEqual([{ kind: 'stream-asymmetry', missingOn: 'testing-devel' }]);
    expect(row('testing-devel', 'crun').flags).toEqual([{ kind: 'stream-asymmetry', missingOn: 'next-devel' }]);
    expect(flagText(row('next-devel', 'podman').flags[0])).toBe('not fast-tracked on testing-devel');
  });

  it('flags an arch override present for some arches that lock the package and not the others', () => {
    expect(row('testing-devel', 'kernel').flags).toContainEqual({ kind: 'arch-asymmetry', only: ['aarch64'], alsoLockedOn: ['s390x', 'x86_64'] });
  });

  it('flags two open drafts of one stream touching one package, on both drafts and on the override; a cancelled one or another stream does not count', () => {
    const d = (b: string) => board.drafts.find((x) => x.branch === b)!;
    expect(d('lockstep/testing-devel/kernel-a').flags).toEqual([{ kind: 'conflict', drafts: ['lockstep/testing-devel/kernel-b'] }]);
    expect(d('lockstep/testing-devel/kernel-b').flags).toEqual([{ kind: 'conflict', drafts: ['lockstep/testing-devel/kernel-a'] }]);
    expect(d('lockstep/testing-devel/old').flags).toEqual([]);
    expect(d('lockstep/stable/kernel').flags).toEqual([]);
    expect(row('testing-devel', 'kernel').flags).toContainEqual({ kind: 'conflict', drafts: ['lockstep/testing-devel/kernel-a', 'lockstep/testing-devel/kernel-b'] });
  });
});

describe('ageText', () => {
  const added = { commit: 'c'.repeat(40), date: '2024-03-01T10:00:00.000Z' };
  it('counts whole days from the commit that gave the override its version', () => {
    expect(ageText(added, Date.parse('2024-03-01T23:59:00Z'))).toBe('today');
    expect(ageText(added, Date.parse('2024-03-02T10:00:00Z'))).toBe('1 day');
    expect(ageText(added, Date.parse('2024-04-10T09:59:00Z'))).toBe('39 days');
  });
});
