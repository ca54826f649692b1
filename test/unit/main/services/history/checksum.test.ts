import { describe, expect, it } from 'vitest';
import { seededBytes as bytes } from '../../../../helpers/seeded-bytes';
import { crc32 } from '../../../../../main/services/history/checksum';
import { crc32 as crc32js } from '../../../../../shared/crc32';

describe("the history index's crc32 (zlib's for long ranges)", () => {
  it('equals the JavaScript one on either side of the long-range threshold, on ranges and from seeds', () => {
    const b = bytes(70_000, 5);
    for (const n of [0, 1, 100, 16_383, 16_384, 16_385, 65_536]) {
      for (const start of [0, 3, 1000]) {
        for (const seed of [0, 0xdeadbeef]) expect(crc32(b, seed, start, start + n)).toBe(crc32js(b, seed, start, start + n));
      }
    }
    expect(crc32(b)).toBe(crc32js(b));
    expect(crc32('kernel-ü')).toBe(crc32js('kernel-ü'));
    // Continued over two long ranges, as the commit log is summed a read at a time.
    expect(crc32(b, crc32(b, 0, 0, 30_000), 30_000)).toBe(crc32js(b));
  });
});
