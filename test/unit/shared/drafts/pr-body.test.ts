import { describe, expect, it } from 'vitest';
import { pullRequestBody } from '../../../../shared/drafts/pr-body';
import type { ArchDiff } from '../../../../shared/lockfile/diff';

const arch = (name: string, changes: ArchDiff['changes']): ArchDiff =>
  ({ arch: name, changes, counts: {}, fromHasLockfile: true, toHasLockfile: true, inertFrom: [], inertTo: [], overridden: [] }) as unknown as ArchDiff;

describe('pullRequestBody', () => {
  it('is the rationale, then the effect per arch as a Markdown table', () => {
    const body = pullRequestBody('overrides: pin podman-5.2.5-1.fc40\n\nSee: https://github.com/coreos/fedora-coreos-tracker/issues/1\n', [
      arch('x86_64', [{ name: 'podman', kind: 'downgraded', source: 'podman', from: { evr: '5:5.2.6-1.fc40', arch: 'x86_64' }, to: { evr: '5:5.2.5-1.fc40', arch: 'x86_64' } } as never]),
      arch('aarch64', [{ name: 'podman|x', kind: 'arch_changed', source: 'podman', from: { evr: '1-1', arch: 'aarch64' }, to: { evr: '1-1', arch: 'noarch' } } as never]),
    ]);
    expect(body).toBe(
      [
        'See: https://github.com/coreos/fedora-coreos-tracker/issues/1',
        '',
        '### Effect on the effective locks',
        '',
        '| Arch | Package | From | To | Change |',
        '| --- | --- | --- | --- | --- |',
        '| x86_64 | podman | `5:5.2.6-1.fc40.x86_64` | `5:5.2.5-1.fc40.x86_64` | downgraded |',
        '| aarch64 | podman\\|x | `1-1.aarch64` | `1-1.noarch` | arch changed |',
        '',
      ].join('\n'),
    );
  });

  it('says when nothing changes, and lists links a custom message left out of its body', () => {
    const body = pullRequestBody('overrides: pin x https://example.org/1\n', []);
    expect(body).toContain('No effective version changes on any arch.');
    expect(body).toContain('### Links\n\n- https://example.org/1');
  });
});
