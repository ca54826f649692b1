import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { parseOverrides, parseOverridesWithYaml } from '../../../../shared/lockfile/overrides';

const header = '# This lockfile should be used to pin to a package version.\n# IMPORTANT: ...\n\n';

describe('parseOverrides', () => {
  it('parses evr and evra entries with metadata, scope from the name', () => {
    const text = `${header}packages:
  # held back, see the issue
  podman:
    evr: 5:5.2.5-1.fc40
    metadata:
      bodhi: https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638
      reason: https://github.com/coreos/fedora-coreos-tracker/issues/1809
      type: fast-track
  fedora-repos:
    evra: 40-2.noarch
    metadata:
      reason: https://example.org/1
      type: pin
`;
    const f = parseOverrides(text, { file: 'manifest-lock.overrides.yaml' });
    expect(f.scope).toBe('all');
    expect(f.entries.podman).toMatchObject({ evr: '5:5.2.5-1.fc40', arch: null, type: 'fast-track' });
    expect(f.entries.podman.bodhi).toContain('FEDORA-2024');
    expect(f.entries['fedora-repos']).toMatchObject({ evr: '40-2', arch: 'noarch', type: 'pin', reason: 'https://example.org/1' });
  });

  it.each([
    ['null', 'packages:\n'],
    ['an empty list', 'packages: []\n'],
    ['an empty mapping', 'packages: {}\n'],
    ['an empty file', ''],
    ['only comments', '# nothing\n'],
  ])('treats %s as empty', (_label, text) => {
    expect(parseOverrides(text, { file: 'manifest-lock.overrides.x86_64.yaml' }).entries).toEqual({});
  });

  it('takes the arch scope from a per-arch file name', () => {
    const f = parseOverrides('packages:\n  a:\n    evra: 1-1.fc40.s390x\n', { file: 'manifest-lock.overrides.s390x.yaml' });
    expect(f.scope).toBe('s390x');
    expect(f.entries.a.arch).toBe('s390x');
  });

  it('accepts entries without metadata.type and arch files using evr', () => {
    const f = parseOverrides('packages:\n  a:\n    evr: 1-1.fc40\n', { file: 'manifest-lock.overrides.aarch64.yaml' });
    expect(f.entries.a).toMatchObject({ evr: '1-1.fc40', arch: null, type: null });
  });

  it('normalizes an explicit zero epoch', () => {
    const f = parseOverrides('packages:\n  a:\n    evr: 0:1.10.3-3.fc40\n', { file: 'manifest-lock.overrides.yaml' });
    expect(f.entries.a.evr).toBe('1.10.3-3.fc40');
  });

  it('parses the old JSON override file with digests', () => {
    const text = '{\n  "packages": {\n    "ignition": {\n      "evra": "2.0.1-2.gite75cf24.fc30.x86_64",\n      "digest": "sha256:1c67"\n    }\n  }\n}\n';
    const f = parseOverrides(text, { file: 'manifest-lock.overrides.x86_64.json' });
    expect(f.scope).toBe('x86_64');
    expect(f.entries.ignition).toMatchObject({ evr: '2.0.1-2.gite75cf24.fc30', arch: 'x86_64' });
  });

  it('names file, line and package of an entry without evr or evra', () => {
    try {
      parseOverrides('packages:\n  a:\n    evr: 1-1\n  bad:\n    metadata:\n      type: pin\n', {
        file: 'manifest-lock.overrides.yaml',
        commit: 'a'.repeat(40),
      });
      throw new Error('expected an error');
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      const e = err as AppError;
      expect(e.code).toBe('bad-file');
      expect(e.message).toContain('manifest-lock.overrides.yaml:4');
      expect(e.message).toContain('"bad"');
      expect(e.data).toMatchObject({ package: 'bad', line: 4 });
    }
  });

  it('rejects malformed YAML with its line', () => {
    expect(() => parseOverrides('packages:\n  a: [\n', { file: 'manifest-lock.overrides.yaml' })).toThrow(/malformed YAML/);
  });

  it('rejects a non-empty list of packages and both evr and evra', () => {
    expect(() => parseOverrides('packages:\n  - a\n', { file: 'manifest-lock.overrides.yaml' })).toThrow(/mapping/);
    expect(() =>
      parseOverrides('packages:\n  a:\n    evr: 1-1\n    evra: 1-1.x86_64\n', { file: 'manifest-lock.overrides.yaml' }),
    ).toThrow(/both "evr" and "evra"/);
  });

  it('rejects an invalid version naming it', () => {
    expect(() => parseOverrides('packages:\n  a:\n    evr: "1 2-3"\n', { file: 'manifest-lock.overrides.yaml' })).toThrow(
      /override "a"/,
    );
  });
});

describe('the quick override reader', () => {
  it.each([
    ['comments and trailing comments', 'packages:\n  # c\n  a:\n    evr: 1-1  # why\n    metadata:\n      # inner\n      type: pin\n      reason: https://r\n'],
    ['quoted values', 'packages:\n  a:\n    evr: "1.0-1"\n    metadata:\n      type: \'fast-track\'\n'],
    ['flow style', 'packages: {a: {evr: 1-1}}\n'],
    ['a number-like version', 'packages:\n  a:\n    evr: 1.0\n'],
    ['four-space indentation', 'packages:\n    a:\n        evra: 1-1.noarch\n        metadata:\n            type: pin\n'],
    ['duplicate keys', 'packages:\n  a:\n    evr: 1-1\n  a:\n    evr: 2-1\n'],
    ['JSON', '{"packages": {"a": {"evra": "1-1.x86_64"}}}'],
  ])('reads %s exactly as the YAML parser does', (_label, text) => {
    const ctx = { file: 'manifest-lock.overrides.yaml' };
    let quick: unknown;
    let full: unknown;
    try {
      quick = parseOverrides(text, ctx);
    } catch (e) {
      quick = (e as Error).message;
    }
    try {
      full = parseOverridesWithYaml(text, ctx);
    } catch (e) {
      full = (e as Error).message;
    }
    expect(quick).toEqual(full);
  });
});
