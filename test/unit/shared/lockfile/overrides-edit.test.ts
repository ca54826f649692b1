import { describe, expect, it } from 'vitest';
import { editOverridesText, OVERRIDES_HEADER, type OverrideEntrySpec } from '../../../../shared/lockfile/overrides-edit';
import { parseOverrides } from '../../../../shared/lockfile/overrides';

const FILE = 'manifest-lock.overrides.yaml';

const ORIGINAL = `${OVERRIDES_HEADER}
packages:
  # Fast-track the new ignition; see the tracker
  ignition:
    evr: 2.20.0-1.fc40
    metadata:
      bodhi: https://bodhi.fedoraproject.org/updates/FEDORA-2024-35ebfcbeef
      type: fast-track
  kdump-utils:
    evr: 1.0.48-1.fc40
    metadata:
      bodhi: https://bodhi.fedoraproject.org/updates/FEDORA-2024-b6681fcf56
      reason: https://github.com/coreos/fedora-coreos-tracker/issues/1813#issuecomment-2429448152
      type: fast-track
  podman:
    evr: 5:5.2.5-1.fc40  # keep: see the issue
    metadata:
      bodhi: https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638
      reason: https://github.com/coreos/fedora-coreos-tracker/issues/1809
      type: fast-track
`;

const pin = (name: string, value: string, key: 'evr' | 'evra' = 'evr'): OverrideEntrySpec => ({
  name,
  key,
  value,
  metadata: { reason: 'https://github.com/coreos/fedora-coreos-tracker/issues/1', type: 'pin' },
});

describe('editOverridesText', () => {
  it('inserts a new entry in sorted position, changing no other byte', () => {
    const out = editOverridesText(ORIGINAL, [{ op: 'set', entry: pin('kernel', '6.10.12-200.fc40') }], FILE);
    const added = `  kernel:
    evr: 6.10.12-200.fc40
    metadata:
      reason: https://github.com/coreos/fedora-coreos-tracker/issues/1
      type: pin
`;
    expect(out).toBe(ORIGINAL.replace('  podman:\n', `${added}  podman:\n`));
  });

  it('puts a new first entry before the leading comment of the old first one', () => {
    const out = editOverridesText(ORIGINAL, [{ op: 'set', entry: pin('afterburn', '5.7.0-1.fc40') }], FILE);
    expect(out.indexOf('  afterburn:')).toBeLessThan(out.indexOf('# Fast-track the new ignition'));
    expect(out).toContain('# Fast-track the new ignition; see the tracker\n  ignition:');
  });

  it('appends after the last entry', () => {
    const out = editOverridesText(ORIGINAL, [{ op: 'set', entry: pin('zincati', '0.0.28-1.fc40') }], FILE);
    expect(out.startsWith(ORIGINAL)).toBe(true);
    expect(out.slice(ORIGINAL.length)).toMatch(/^ {2}zincati:\n {4}evr: 0.0.28-1.fc40\n/);
  });

  it('replaces an existing entry keeping its leading comment and everything else', () => {
    const out = editOverridesText(ORIGINAL, [{ op: 'set', entry: pin('ignition', '2.20.0-2.fc40') }], FILE);
    expect(out).toContain('  # Fast-track the new ignition; see the tracker\n  ignition:\n    evr: 2.20.0-2.fc40\n    metadata:\n      reason:');
    expect(out.slice(out.indexOf('  kdump-utils:'))).toBe(ORIGINAL.slice(ORIGINAL.indexOf('  kdump-utils:')));
    expect(out.startsWith(OVERRIDES_HEADER)).toBe(true);
  });

  it('removes an entry with its own leading comment only', () => {
    const out = editOverridesText(ORIGINAL, [{ op: 'remove', name: 'ignition' }], FILE);
    expect(out).not.toContain('  ignition:');
    expect(out).toBe(ORIGINAL.replace(/ {2}# Fast-track the new ignition[^]*?(?= {2}kdump-utils:)/, ''));
    const last = editOverridesText(ORIGINAL, [{ op: 'remove', name: 'podman' }], FILE);
    expect(last).toBe(ORIGINAL.slice(0, ORIGINAL.indexOf('  podman:')));
  });

  it('leaves a valid empty mapping when the last entry goes', () => {
    const out = editOverridesText(ORIGINAL, ['ignition', 'kdump-utils', 'podman'].map((name) => ({ op: 'remove' as const, name })), FILE);
    expect(out).toBe(`${OVERRIDES_HEADER}\npackages: {}\n`);
    expect(parseOverrides(out, { file: FILE }).entries).toEqual({});
  });

  it.each(['packages:\n', 'packages: []\n', 'packages: {}\n'])('turns the empty form %j into a block mapping', (empty) => {
    const out = editOverridesText(`${OVERRIDES_HEADER}\n${empty}`, [{ op: 'set', entry: pin('kernel', '6.10.12-200.fc40') }], FILE);
    expect(out).toBe(`${OVERRIDES_HEADER}\npackages:\n  kernel:\n    evr: 6.10.12-200.fc40\n    metadata:\n      reason: https://github.com/coreos/fedora-coreos-tracker/issues/1\n      type: pin\n`);
  });

  it('creates a missing file with the repo header', () => {
    const out = editOverridesText(null, [{ op: 'set', entry: pin('grub2-pc', '1:2.12-5.fc40.x86_64', 'evra') }], 'manifest-lock.overrides.x86_64.yaml');
    expect(out.startsWith(OVERRIDES_HEADER)).toBe(true);
    expect(parseOverrides(out, { file: 'manifest-lock.overrides.x86_64.yaml' }).entries['grub2-pc']).toMatchObject({ evr: '1:2.12-5.fc40' });
  });

  it('writes metadata keys in the order bodhi, reason, type', () => {
    const out = editOverridesText(ORIGINAL, [
      { op: 'set', entry: { name: 'runc', key: 'evr', value: '2:1.1.14-1.fc40', metadata: { type: 'fast-track', reason: 'https://r', bodhi: 'https://b' } } },
    ], FILE);
    expect(out).toContain('  runc:\n    evr: 2:1.1.14-1.fc40\n    metadata:\n      bodhi: https://b\n      reason: https://r\n      type: fast-track\n');
  });

  it('writes noarch entries with evra and quotes only what YAML would misread', () => {
    const out = editOverridesText(ORIGINAL, [{ op: 'set', entry: pin('fedora-repos', '40-2.noarch', 'evra') }], FILE);
    expect(out).toContain('  fedora-repos:\n    evra: 40-2.noarch\n');
    const odd = editOverridesText(ORIGINAL, [{ op: 'set', entry: pin('x', '1.0') }], FILE);
    expect(odd).toContain('    evr: "1.0"\n');
    expect(parseOverrides(odd, { file: FILE }).entries.x.evr).toBe('1.0');
  });

  it('keeps comments between other entries and a custom indentation', () => {
    const four = 'packages:\n    a:\n        evr: 1-1\n    # about c\n    c:\n        evr: 3-1\n';
    const out = editOverridesText(four, [{ op: 'set', entry: { name: 'b', key: 'evr', value: '2-1', metadata: {} } }], FILE);
    expect(out).toBe('packages:\n    a:\n        evr: 1-1\n    b:\n        evr: 2-1\n    # about c\n    c:\n        evr: 3-1\n');
  });

  it('refuses malformed YAML naming the line', () => {
    expect(() => editOverridesText('packages:\n  a: [\n', [{ op: 'remove', name: 'a' }], FILE)).toThrow(/manifest-lock.overrides.yaml:\d+: malformed YAML/);
  });
});

describe('line endings of edited files', () => {
  const entry: OverrideEntrySpec = { name: 'podman', key: 'evr', value: '5:5.2.5-1.fc40', metadata: { reason: 'https://example.org/1', type: 'pin' } };

  it('writes added and replaced lines of a CRLF file with CRLF, untouched ones byte for byte', () => {
    const crlf = ORIGINAL.replace(/\n/g, '\r\n');
    const out = editOverridesText(crlf, [{ op: 'set', entry }], FILE);
    expect(out).not.toMatch(/[^\r]\n/);
    expect(out).toBe(editOverridesText(ORIGINAL, [{ op: 'set', entry }], FILE).replace(/\n/g, '\r\n'));
    const removed = editOverridesText(crlf, [{ op: 'remove', name: 'ignition' }], FILE);
    expect(removed).not.toMatch(/[^\r]\n/);
    expect(Object.keys(parseOverrides(out, { file: FILE }).entries)).toContain('podman');
  });

  it('keeps the bytes of a file that mixes both, adding LF lines', () => {
    const mixed = ORIGINAL.replace('packages:\n', 'packages:\r\n');
    const out = editOverridesText(mixed, [{ op: 'set', entry }], FILE);
    expect(out).toContain('packages:\r\n');
    expect(out).toContain('  podman:\n    evr: 5:5.2.5-1.fc40\n');
  });

  it('keeps characters outside ASCII in comments as they are', () => {
    const latin = ORIGINAL.replace('see the tracker', 'voir le suivi, merci René ©');
    expect(editOverridesText(latin, [{ op: 'set', entry }], FILE)).toContain('merci René ©');
  });
});

describe('scalars written as the repo writes them', () => {
  const withReason = (reason: string): OverrideEntrySpec => ({ name: 'bash', key: 'evr', value: '5.2.32-1.fc40', metadata: { reason, type: 'pin' } });

  it('writes a reason URL with a # fragment unquoted, keeping every comment, and it reads back whole', () => {
    const url = 'https://github.com/coreos/fedora-coreos-tracker/issues/1813#issuecomment-2429448152';
    const out = editOverridesText(ORIGINAL, [{ op: 'set', entry: withReason(url) }], FILE);
    expect(out).toContain(`      reason: ${url}\n`);
    expect(out).not.toContain(`"${url}"`);
    expect(out).toContain('# Fast-track the new ignition; see the tracker');
    expect(out).toContain('evr: 5:5.2.5-1.fc40  # keep: see the issue');
    expect(parseOverrides(out, { file: FILE }).entries.bash.reason).toBe(url);
  });

  it('still quotes what a plain scalar would change: a # after a space or first, ": ", edge spaces', () => {
    for (const reason of ['see #12', '#12', 'a: b', ' x']) {
      const out = editOverridesText(ORIGINAL, [{ op: 'set', entry: withReason(reason) }], FILE);
      expect(out).toContain(`reason: ${JSON.stringify(reason)}\n`);
      expect(parseOverrides(out, { file: FILE }).entries.bash.reason).toBe(reason);
    }
  });
});
