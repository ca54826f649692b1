import { describe, expect, it } from 'vitest';
import { distRelease, isBodhiUrl, isUrl, streamRelease, validateEntry, validateOverridesText } from '../../../../shared/drafts/validate';

const BODHI = 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638';
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1809';
const messages = (f: { severity: string; message: string }[]) => f.map((x) => `${x.severity}: ${x.message}`);

describe('validateEntry', () => {
  it('requires a reason URL on a pin', () => {
    expect(messages(validateEntry({ name: 'kernel', evr: '6.10.12-200.fc40', type: 'pin' }))).toEqual([
      'error: kernel: a pin must carry metadata.reason, a URL saying why',
    ]);
    expect(validateEntry({ name: 'kernel', evr: '6.10.12-200.fc40', type: 'pin', reason: REASON })).toEqual([]);
  });

  it('rejects a reason that is not a URL', () => {
    const f = validateEntry({ name: 'kernel', evr: '1-1', type: 'pin', reason: 'because' });
    expect(f.map((x) => x.severity)).toEqual(['error']);
    expect(f[0].message).toContain('must be a URL');
  });

  it('warns on a fast-track without Bodhi or reason', () => {
    const f = validateEntry({ name: 'podman', evr: '5:5.2.5-1.fc40', type: 'fast-track' });
    expect(f.map((x) => `${x.severity}:${x.field}`)).toEqual(['warning:bodhi', 'warning:reason']);
  });

  it("lets the distro's own packages omit the reason, matched by source package", () => {
    const sourceOf = (n: string) => ({ afterburn: 'rust-afterburn', 'afterburn-dracut': 'rust-afterburn' })[n];
    expect(validateEntry({ name: 'afterburn-dracut', evr: '5.7.0-1.fc40', type: 'fast-track', bodhi: BODHI }, { sourceOf })).toEqual([]);
    expect(validateEntry({ name: 'ignition', evr: '2.20.0-1.fc40', type: 'fast-track', bodhi: BODHI })).toEqual([]);
  });

  it('warns on a dist tag of another release than the stream', () => {
    const f = validateEntry({ name: 'podman', evr: '5:5.2.5-1.fc40', type: 'fast-track', bodhi: BODHI, reason: REASON }, { release: 41 });
    expect(messages(f)).toEqual(['warning: podman: 5:5.2.5-1.fc40 is built for fc40, the stream is on fc41']);
  });

  it('warns on a missing or unknown type', () => {
    expect(validateEntry({ name: 'a', evr: '1-1', type: null })[0].message).toContain('no metadata.type');
    expect(validateEntry({ name: 'a', evr: '1-1', type: 'hold' })[0].message).toContain('unknown metadata.type "hold"');
  });
});

describe('validateOverridesText', () => {
  it('locates each finding on its line', () => {
    const text = `packages:\n  kernel:\n    evr: 6.10.12-200.fc40\n    metadata:\n      type: pin\n  podman:\n    evr: 5:5.2.5-1.fc40\n    metadata:\n      bodhi: ${BODHI}\n      reason: ${REASON}\n      type: fast-track\n`;
    const f = validateOverridesText(text, 'manifest-lock.overrides.yaml');
    expect(f).toEqual([expect.objectContaining({ severity: 'error', package: 'kernel', line: 2 })]);
  });

  it('reports a syntax error as one located error', () => {
    const f = validateOverridesText('packages:\n  a: [\n', 'manifest-lock.overrides.yaml');
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('error');
    expect(f[0].message).toContain('malformed YAML');
  });

  it('warns on a package listed twice', () => {
    const f = validateOverridesText('packages:\n  a:\n    evra: 1-1.fc33.aarch64\n  a:\n    evra: 1-1.fc33.aarch64\n', 'manifest-lock.overrides.aarch64.yaml');
    expect(f.some((x) => x.message.includes('listed 2 times'))).toBe(true);
  });
});

describe('helpers', () => {
  it('recognizes URLs and Bodhi update URLs', () => {
    expect(isUrl(REASON)).toBe(true);
    expect(isUrl('github.com/x')).toBe(false);
    expect(isUrl('javascript:alert(1)')).toBe(false);
    expect(isBodhiUrl(BODHI)).toBe(true);
    expect(isBodhiUrl(REASON)).toBe(false);
  });

  it('finds the release of dist tags and the most common one of a stream', () => {
    expect(distRelease('1.fc40.4')).toBe(40);
    expect(distRelease('1.el9')).toBeNull();
    expect(streamRelease(['1-1.fc41', '2-1.fc41', '3-1.fc40', '4-1'])).toBe(41);
  });
});
