import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import {
  compareEvr,
  formatEvr,
  formatNevra,
  normalizeEvr,
  parseEvr,
  parseEvra,
  parseNevra,
  parseNvrOrEvr,
} from '../../../../shared/rpm/nevra';

describe('parseEvr and formatEvr', () => {
  it('parses epoch, version and release', () => {
    expect(parseEvr('5:5.2.5-1.fc40')).toEqual({ epoch: '5', version: '5.2.5', release: '1.fc40' });
    expect(parseEvr('1.0')).toEqual({ epoch: '0', version: '1.0', release: null });
  });

  it('omits a zero epoch when formatting', () => {
    expect(normalizeEvr('0:1.10.3-3.fc40')).toBe('1.10.3-3.fc40');
    expect(formatEvr(parseEvr('2:1.0-1.fc40'))).toBe('2:1.0-1.fc40');
  });

  it('keeps odd releases', () => {
    expect(parseEvr('9.6p1-1.fc40.4').release).toBe('1.fc40.4');
  });

  it.each([
    ['', 'empty'],
    ['1.0-', 'empty release'],
    ['-1', 'empty version'],
    ['x:1.0-1', 'epoch "x"'],
    ['1:2:3-1', 'more than one ":"'],
    ['1-2-3', 'more than one "-"'],
    ['1.0 -1', 'white space'],
    ['1/0-1', '"/"'],
  ])('rejects %j naming the input', (input, why) => {
    try {
      parseEvr(input);
      throw new Error('expected an error');
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('bad-input');
      expect((err as AppError).message).toContain(`"${input}"`);
      expect((err as AppError).message).toContain(why);
    }
  });
});

describe('compareEvr', () => {
  it('compares the epoch first', () => {
    expect(compareEvr('1:1.0-1', '9.9-9')).toBe(1);
    expect(compareEvr('5:5.2.5-1.fc40', '2:5.2.5-1.fc40')).toBe(1);
  });

  it('treats a zero epoch as none', () => {
    expect(compareEvr('0:1.10.3-3.fc40', '1.10.3-3.fc40')).toBe(0);
  });

  it('sorts a missing release first', () => {
    expect(compareEvr('1.0', '1.0-1')).toBe(-1);
    expect(compareEvr('1.0-1', '1.0')).toBe(1);
    expect(compareEvr('1.0', '1.0')).toBe(0);
  });

  it('orders ~ and ^ in full EVRs', () => {
    expect(compareEvr('1.0~rc1-1', '1.0-1')).toBe(-1);
    expect(compareEvr('1.0^git1-1', '1.0-1')).toBe(1);
    expect(compareEvr('1.0^git1-1', '1.0.1-1')).toBe(-1);
  });
});

describe('parseEvra', () => {
  it('takes the last token as the arch', () => {
    expect(parseEvra('1:1.46.2-1.fc40.x86_64')).toEqual({ evr: { epoch: '1', version: '1.46.2', release: '1.fc40' }, arch: 'x86_64' });
    expect(parseEvra('9.6p1-1.fc40.4.x86_64').evr.release).toBe('1.fc40.4');
  });

  it('rejects an evra without arch or release', () => {
    expect(() => parseEvra('1.0-1')).toThrow(/no arch/);
    expect(() => parseEvra('1.0.x86_64')).toThrow(/no release/);
  });
});

describe('parseNevra', () => {
  it('keeps dashes in names', () => {
    expect(parseNevra('NetworkManager-cloud-setup-1:1.46.2-1.fc40.x86_64')).toEqual({
      name: 'NetworkManager-cloud-setup',
      epoch: '1',
      version: '1.46.2',
      release: '1.fc40',
      arch: 'x86_64',
    });
    expect(parseNevra('python3-libs-3.12.6-1.fc40.noarch').name).toBe('python3-libs');
  });

  it('reads a trailing token as an arch only when it is a known arch', () => {
    expect(parseNevra('podman-5.2.5-1.fc40').arch).toBeNull();
    expect(parseNevra('openssh-9.6p1-1.fc40.4')).toMatchObject({ name: 'openssh', release: '1.fc40.4', arch: null });
    expect(parseNevra('foo-1-1.fc40.riscv64').arch).toBeNull();
    expect(parseNevra('foo-1-1.fc40.riscv64', ['riscv64']).arch).toBe('riscv64');
    expect(parseNevra('podman-5:5.2.5-1.fc40').epoch).toBe('5');
  });

  it('formats back, omitting a zero epoch', () => {
    expect(formatNevra(parseNevra('kernel-0:6.11.3-300.fc41.x86_64'))).toBe('kernel-6.11.3-300.fc41.x86_64');
  });

  it('rejects input without version and release', () => {
    expect(() => parseNevra('podman')).toThrow(/"podman"/);
    expect(() => parseNevra('podman-5.2.5')).toThrow(/name-\[epoch:\]version-release/);
  });
});

describe('parseNvrOrEvr', () => {
  it('tells an EVR from an NVR by its dashes', () => {
    expect(parseNvrOrEvr('5:5.2.5-1.fc40')).toEqual({ name: null, evr: { epoch: '5', version: '5.2.5', release: '1.fc40' } });
    expect(parseNvrOrEvr('podman-5.2.5-1.fc40')).toEqual({ name: 'podman', evr: { epoch: '0', version: '5.2.5', release: '1.fc40' } });
    expect(parseNvrOrEvr('rust-coreos-installer-0.22.0-1.fc40').name).toBe('rust-coreos-installer');
  });

  it('refuses an arch suffix', () => {
    expect(() => parseNvrOrEvr('podman-5.2.5-1.fc40.x86_64')).toThrow(/without arch/);
  });
});

describe('epochs of any size', () => {
  it('writes a 20-digit epoch back exactly', () => {
    expect(normalizeEvr('99999999999999999999:1.0-1.fc40')).toBe('99999999999999999999:1.0-1.fc40');
    expect(parseEvra('99999999999999999999:1.0-1.fc40.x86_64').evr.epoch).toBe('99999999999999999999');
  });

  it('compares epochs beyond 2^53 as numbers, not as rounded floats', () => {
    expect(compareEvr('9007199254740993:1-1', '9007199254740992:1-1')).toBe(1);
    expect(compareEvr('9007199254740992:1-1', '9007199254740993:1-1')).toBe(-1);
    expect(compareEvr('100000000000000000000:1-1', '99999999999999999999:1-1')).toBe(1);
  });

  it('reads leading zeros as the same epoch', () => {
    expect(compareEvr('007:1-1', '7:1-1')).toBe(0);
    expect(normalizeEvr('000:1-1')).toBe('1-1');
    expect(normalizeEvr('007:1-1')).toBe('7:1-1');
  });
});
