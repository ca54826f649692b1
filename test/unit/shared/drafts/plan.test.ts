/**
 * planDraft for PACKAGE EVR requests (the builds path is in plan-builds.test.ts): a binary pin,
 * a source package expanded to its binaries from a snapshot where it had that version, unpin
 * by binary or source, `--arch`, and the refusals. Each plan is checked by applying its edits
 * and diffing the effective locks, so what it claims is what a commit would do.
 */
import { describe, expect, it } from 'vitest';
import { planDraft, type PlanInput, type SourceVersion } from '../../../../shared/drafts/plan';
import { diffSnapshots } from '../../../../shared/lockfile/diff';
import { editOverridesText } from '../../../../shared/lockfile/overrides-edit';
import { buildSnapshot, type LockFileText } from '../../../../shared/lockfile/snapshot';
import type { Snapshot } from '../../../../shared/lockfile/types';

const lock = (pkgs: Record<string, [string, string]>) =>
  JSON.stringify({ packages: Object.fromEntries(Object.entries(pkgs).map(([n, [evra, src]]) => [n, { evra, metadata: { sourcerpm: src } }])) });
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';

const FILES: LockFileText[] = [
  { name: 'manifest-lock.x86_64.json', text: lock({ podman: ['5:5.2.3-1.fc40.x86_64', 'podman'], 'podman-plugins': ['5:5.2.3-1.fc40.x86_64', 'podman'], kernel: ['6.10.1-200.fc40.x86_64', 'kernel'], bash: ['5.2-1.fc40.x86_64', 'bash'] }) },
  { name: 'manifest-lock.aarch64.json', text: lock({ podman: ['5:5.2.3-1.fc40.aarch64', 'podman'], kernel: ['6.10.1-200.fc40.aarch64', 'kernel'], bash: ['5.2-1.fc40.aarch64', 'bash'] }) },
  {
    name: 'manifest-lock.overrides.yaml',
    text: 'packages:\n  bash:\n    evr: 5.2-2.fc40\n    metadata:\n      reason: https://example.com/b\n      type: pin\n',
  },
];
const head = buildSnapshot('a'.repeat(40), FILES);

/** The snapshot after the plan's edits, as committing them would give. */
function applied(input: PlanInput): { after: Snapshot; plan: ReturnType<typeof planDraft> } {
  const plan = planDraft(input);
  const texts = new Map(FILES.map((f) => [f.name, f.text]));
  for (const f of plan.files) texts.set(f.file, editOverridesText(texts.get(f.file) ?? null, f.changes, f.file));
  return { plan, after: buildSnapshot('b'.repeat(40), [...texts].map(([name, text]) => ({ name, text }))) };
}
const changed = (after: Snapshot) =>
  diffSnapshots(head, after).flatMap((d) => d.changes.map((c) => `${d.arch} ${c.name} ${c.from?.evr ?? '-'} -> ${c.to?.evr ?? '-'}`));

describe('planDraft for package and version requests', () => {
  it('pins one binary on every arch that locks it, in the all-arch file', () => {
    const { plan, after } = applied({ action: 'pin', head, requests: [{ name: 'kernel', evr: '6.10.2-200.fc40' }], reason: REASON });
    expect(plan.files.map((f) => f.file)).toEqual(['manifest-lock.overrides.yaml']);
    expect(plan.srpms).toEqual(['kernel-6.10.2-200.fc40']);
    expect(changed(after)).toEqual(['x86_64 kernel 6.10.1-200.fc40 -> 6.10.2-200.fc40', 'aarch64 kernel 6.10.1-200.fc40 -> 6.10.2-200.fc40']);
  });

  it('expands a source package to its binaries, each from a snapshot where the source had that version', () => {
    const found: SourceVersion = {
      commit: 'c'.repeat(40),
      arches: {
        x86_64: { podman: { evr: '5:5.2.5-1.fc40', arch: 'x86_64' }, 'podman-plugins': { evr: '5:5.2.5-1.fc40', arch: 'x86_64' } },
        aarch64: { podman: { evr: '5:5.2.5-1.fc40', arch: 'aarch64' } },
      },
    };
    const { plan, after } = applied({
      action: 'fast-track',
      head,
      requests: [{ name: 'podman', evr: '5:5.2.5-1.fc40' }],
      bodhi: 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638',
      reason: REASON,
      findSourceVersion: (source, evr) => (source === 'podman' && evr.version === '5.2.5' ? found : null),
    });
    expect(plan.srpms).toEqual(['podman-5.2.5-1.fc40']);
    expect(changed(after).sort()).toEqual(
      ['aarch64 podman 5:5.2.3-1.fc40 -> 5:5.2.5-1.fc40', 'x86_64 podman 5:5.2.3-1.fc40 -> 5:5.2.5-1.fc40', 'x86_64 podman-plugins 5:5.2.3-1.fc40 -> 5:5.2.5-1.fc40'].sort(),
    );
  });

  it('with --arch, writes the entry in that arch file only', () => {
    const { plan, after } = applied({ action: 'pin', head, requests: [{ name: 'kernel', evr: '6.10.2-200.fc40' }], reason: REASON, arch: 'aarch64' });
    expect(plan.files.map((f) => f.file)).toEqual(['manifest-lock.overrides.aarch64.yaml']);
    expect(changed(after)).toEqual(['aarch64 kernel 6.10.1-200.fc40 -> 6.10.2-200.fc40']);
  });

  it('unpins by binary name, giving the lockfile version back', () => {
    const { plan, after } = applied({ action: 'unpin', head, requests: [{ name: 'bash' }] });
    expect(plan.packages).toEqual({ bash: '5.2-2.fc40' });
    expect(changed(after).sort()).toEqual(['aarch64 bash 5.2-2.fc40 -> 5.2-1.fc40', 'x86_64 bash 5.2-2.fc40 -> 5.2-1.fc40']);
  });

  it('refuses what it cannot do, naming the package', () => {
    expect(() => planDraft({ action: 'unpin', head, requests: [{ name: 'kernel' }] })).toThrow(/kernel: no override on this stream/);
    expect(() => planDraft({ action: 'pin', head, requests: [{ name: 'kernel', evr: '6.10.2-200.fc40' }], reason: REASON, arch: 's390x' })).toThrow(/s390x/);
    const noReason = planDraft({ action: 'pin', head, requests: [{ name: 'kernel', evr: '6.10.2-200.fc40' }] });
    expect(noReason.findings.some((f) => f.severity === 'error' && f.package === 'kernel')).toBe(true);
  });
});
