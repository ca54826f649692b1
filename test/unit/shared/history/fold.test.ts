import { describe, expect, it } from 'vitest';
import { splitState } from '../../../../shared/history/fold';

describe('splitState', () => {
  it('reads an absent package as no evr and no arch', () => {
    expect(splitState('')).toEqual({ evr: null, arch: null });
  });

  it('splits the arch off after the last dot, keeping the dots of the evr', () => {
    expect(splitState('6.11.4-201.fc40.x86_64')).toEqual({ evr: '6.11.4-201.fc40', arch: 'x86_64' });
    expect(splitState('2.40-1.fc41.noarch')).toEqual({ evr: '2.40-1.fc41', arch: 'noarch' });
  });

  it('keeps a non-zero epoch in the evr', () => {
    expect(splitState('2:9.1.0-1.fc40.aarch64')).toEqual({ evr: '2:9.1.0-1.fc40', arch: 'aarch64' });
  });
});
