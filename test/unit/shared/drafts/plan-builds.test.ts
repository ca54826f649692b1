import { describe, expect, it } from 'vitest';
import { placeBuildBinaries, type BuildBinary } from '../../../../shared/bodhi/build-placement';
import { planDraft } from '../../../../shared/drafts/plan';
import { diffSnapshots } from '../../../../shared/lockfile/diff';
import { editOverridesText } from '../../../../shared/lockfile/overrides-edit';
import { buildSnapshot, type LockFileText } from '../../../../shared/lockfile/snapshot';

const lock = (pkgs: Record<string, [string, string]>) =>
  JSON.stringify({ packages: Object.fromEntries(Object.entries(pkgs).map(([n, [evra, src]]) => [n, { evra, metadata: { sourcerpm: src } }])) });

const rpm = (name: string, arch: string): BuildBinary => ({ name, version: '2.12', release: '9.fc40', epoch: 1, arch });
const BODHI = 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-abc123';

describe('planDraft with builds (explicit per-binary-per-arch targets)', () => {
  const files: LockFileText[] = [
    {
      name: 'manifest-lock.x86_64.json',
      text: lock({
        'grub2-common': ['1:2.12-4.fc40.noarch', 'grub2'],
        'grub2-tools': ['1:2.12-4.fc40.x86_64', 'grub2'],
        'grub2-pc': ['1:2.12-4.fc40.x86_64', 'grub2'],
        bash: ['5.2-1.fc40.x86_64', 'bash'],
      }),
    },
    {
      name: 'manifest-lock.aarch64.json',
      text: lock({
        'grub2-common': ['1:2.12-4.fc40.noarch', 'grub2'],
        'grub2-tools': ['1:2.12-4.fc40.aarch64', 'grub2'],
        'grub2-efi-aa64': ['1:2.12-4.fc40.aarch64', 'grub2'],
        bash: ['5.2-1.fc40.aarch64', 'bash'],
      }),
    },
    { name: 'manifest-lock.overrides.yaml', text: 'packages: {}\n' },
  ];
  const head = buildSnapshot('a'.repeat(40), files);
  // The new build ships grub2-tools for x86_64 only (say aarch64 failed and was dropped).
  const build = [rpm('grub2', 'src'), rpm('grub2-common', 'noarch'), rpm('grub2-tools', 'x86_64'), rpm('grub2-pc', 'x86_64'), rpm('grub2-efi-aa64', 'aarch64'), rpm('grub2-efi-x64', 'x86_64')];
  const placed = placeBuildBinaries(build, head.lockfiles);
  const plan = planDraft({
    action: 'fast-track',
    head,
    requests: [],
    bodhi: BODHI,
    builds: [{ source: { name: 'grub2', version: '2.12', release: '9.fc40' }, binaries: placed.targets }],
  });

  it('writes all-arch entries where one fits and arch-file evra entries where it would not', () => {
    expect(plan.packages).toEqual({ 'grub2-common': '1:2.12-9.fc40.noarch', 'grub2-pc': '1:2.12-9.fc40', 'grub2-efi-aa64': '1:2.12-9.fc40' });
    expect(plan.perArch).toEqual({ 'grub2-tools': { x86_64: '1:2.12-9.fc40.x86_64' } });
    expect(plan.files.map((f) => f.file).sort()).toEqual(['manifest-lock.overrides.x86_64.yaml', 'manifest-lock.overrides.yaml']);
    expect(plan.srpms).toEqual(['grub2-2.12-9.fc40']);
    expect(plan.sources).toEqual([{ name: 'grub2', version: '2.12', release: '9.fc40' }]);
  });

  it("changes each arch's effective lock by exactly the build's binaries for it", () => {
    const texts = new Map(files.map((f) => [f.name, f.text]));
    for (const f of plan.files) texts.set(f.file, editOverridesText(texts.get(f.file) ?? null, f.changes, f.file));
    const after = buildSnapshot('b'.repeat(40), [...texts].map(([name, text]) => ({ name, text })));
    const effect = Object.fromEntries(diffSnapshots(head, after).map((d) => [d.arch, d.changes.map((c) => `${c.name} ${c.to?.evr}.${c.to?.arch}`).sort()]));
    expect(effect).toEqual({
      x86_64: ['grub2-common 1:2.12-9.fc40.noarch', 'grub2-pc 1:2.12-9.fc40.x86_64', 'grub2-tools 1:2.12-9.fc40.x86_64'],
      aarch64: ['grub2-common 1:2.12-9.fc40.noarch', 'grub2-efi-aa64 1:2.12-9.fc40.aarch64'],
    });
  });

  it('metadata carries bodhi and type; a non-own source without reason is a warning', () => {
    const all = plan.files.find((f) => f.file === 'manifest-lock.overrides.yaml')!;
    expect(all.changes[0]).toMatchObject({ op: 'set', entry: { metadata: { bodhi: BODHI, type: 'fast-track' } } });
    expect(plan.findings.filter((f) => f.field === 'reason').map((f) => f.severity)).toEqual(['warning']);
    const own = planDraft({ action: 'fast-track', head, requests: [], bodhi: BODHI, ownSources: ['grub2'], builds: [{ source: { name: 'grub2', version: '2.12', release: '9.fc40' }, binaries: placed.targets }] });
    expect(own.findings.filter((f) => f.field === 'reason')).toEqual([]);
  });

  it('a pin from builds without a reason is an error', () => {
    const pin = planDraft({ action: 'pin', head, requests: [], builds: [{ source: { name: 'grub2', version: '2.12', release: '9.fc40' }, binaries: placed.targets }] });
    expect(pin.findings.some((f) => f.severity === 'error' && f.field === 'reason')).toBe(true);
  });
});
