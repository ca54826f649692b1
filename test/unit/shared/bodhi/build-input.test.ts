import { describe, expect, it } from 'vitest';
import { buildInputKind, splitBuildInput } from '../../../../shared/bodhi/build-input';

describe('build-input', () => {
  it('splits on whitespace and commas and drops duplicates', () => {
    expect(splitBuildInput(' FEDORA-2024-0a1b2c3d4e,podman-5.2.5-1.fc40\n FEDORA-2024-0a1b2c3d4e ')).toEqual(['FEDORA-2024-0a1b2c3d4e', 'podman-5.2.5-1.fc40']);
    expect(splitBuildInput('  ')).toEqual([]);
  });
  it('reads aliases and Bodhi URLs as updates, anything else as source NVRs', () => {
    expect(buildInputKind('FEDORA-2024-0a1b2c3d4e')).toBe('update');
    expect(buildInputKind('FEDORA-EPEL-2024-0a1b2c3d4e')).toBe('update');
    expect(buildInputKind('https://bodhi.fedoraproject.org/updates/FEDORA-2024-0a1b2c3d4e')).toBe('update');
    // Any URL goes to the update parser, which names what is wrong with it.
    expect(buildInputKind('https://example.org/x')).toBe('update');
    expect(buildInputKind('podman-5.2.5-1.fc40')).toBe('srpm');
  });
});
