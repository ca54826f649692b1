import { describe, expect, it } from 'vitest';
import { classifyLockPath, isLockPath } from '../../../../shared/lockfile/files';

describe('classifyLockPath', () => {
  it.each([
    ['manifest-lock.x86_64.json', { kind: 'lockfile', arch: 'x86_64', format: 'json' }],
    ['manifest-lock.x86_64.yaml', { kind: 'lockfile', arch: 'x86_64', format: 'yaml' }],
    ['manifest-lock.overrides.yaml', { kind: 'overrides', scope: 'all', format: 'yaml' }],
    ['manifest-lock.overrides.s390x.yaml', { kind: 'overrides', scope: 's390x', format: 'yaml' }],
    ['manifest-lock.overrides.x86_64.json', { kind: 'overrides', scope: 'x86_64', format: 'json' }],
  ])('classifies %s', (name, expected) => {
    expect(classifyLockPath(name)).toEqual(expected);
  });

  it.each(['manifest.yaml', 'manifest-lock.generated.json', 'manifest-lock.a.b.json', 'manifest-lock.x86_64.yml', 'README.md'])(
    'ignores %s',
    (name) => {
      expect(isLockPath(name)).toBe(false);
    },
  );
});
