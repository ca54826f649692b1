import { describe, expect, it } from 'vitest';
import { parseSourceNvr, parseUpdateId } from '../../../../shared/bodhi/update-id';
import { AppError } from '../../../../shared/errors';

describe('parseUpdateId', () => {
  it('takes an alias as it is', () => {
    expect(parseUpdateId('FEDORA-2024-abc123')).toBe('FEDORA-2024-abc123');
    expect(parseUpdateId(' FEDORA-2024-f0fd63c638 ')).toBe('FEDORA-2024-f0fd63c638');
  });

  it('takes the aliases of other Bodhi releases (EPEL, EPEL-NEXT, FLATPAK)', () => {
    expect(parseUpdateId('FEDORA-EPEL-2024-1a2b3c4d5e')).toBe('FEDORA-EPEL-2024-1a2b3c4d5e');
    expect(parseUpdateId('FEDORA-EPEL-NEXT-2023-0123abcdef')).toBe('FEDORA-EPEL-NEXT-2023-0123abcdef');
    expect(parseUpdateId('FEDORA-FLATPAK-2024-0123abcdef')).toBe('FEDORA-FLATPAK-2024-0123abcdef');
  });

  it('reads the alias out of a Bodhi update URL, with or without a trailing slash or query', () => {
    expect(parseUpdateId('https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638')).toBe('FEDORA-2024-f0fd63c638');
    expect(parseUpdateId('https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638/')).toBe('FEDORA-2024-f0fd63c638');
    expect(parseUpdateId('https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638#comment-1')).toBe('FEDORA-2024-f0fd63c638');
    expect(parseUpdateId('http://127.0.0.1:8080/bodhi/updates/FEDORA-EPEL-2024-abc123?x=1')).toBe('FEDORA-EPEL-2024-abc123');
  });

  it('refuses anything else with a bad-input error naming the input', () => {
    for (const bad of ['', 'podman-5.2.5-1.fc40', 'FEDORA-24-abc', 'fedora-2024-abc123', 'FEDORA-2024-xyz!', 'https://bodhi.fedoraproject.org/updates/', 'https://bodhi.fedoraproject.org/updates/podman', 'ftp://bodhi/updates/FEDORA-2024-abc123']) {
      let err: unknown;
      try {
        parseUpdateId(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('bad-input');
      expect((err as AppError).message).toContain(`"${bad}"`);
    }
  });
});

describe('parseSourceNvr', () => {
  it('splits name (with dashes), version and release', () => {
    expect(parseSourceNvr('rust-coreos-installer-0.22.0-1.fc40')).toEqual({ name: 'rust-coreos-installer', version: '0.22.0', release: '1.fc40' });
    expect(parseSourceNvr('podman-5.2.5-1.fc40')).toEqual({ name: 'podman', version: '5.2.5', release: '1.fc40' });
  });

  it('refuses an EVR, an epoch or a bare name', () => {
    for (const bad of ['podman', '5.2.5-1.fc40', 'podman-5:5.2.5-1.fc40']) expect(() => parseSourceNvr(bad), bad).toThrow(/not a source NVR/);
  });
});
