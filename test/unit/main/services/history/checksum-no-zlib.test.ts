/** On a Node without zlib.crc32 (before 20.15), long ranges are summed in JavaScript. */
import { describe, expect, it, vi } from 'vitest';
import { crc32 } from '../../../../../main/services/history/checksum';
import { crc32 as crc32js } from '../../../../../shared/crc32';

vi.mock('node:zlib', () => ({ crc32: undefined }));

describe('the history index crc32 without zlib.crc32', () => {
  it('sums long ranges in JavaScript', () => {
    const b = new Uint8Array(40_000).map((_, i) => (i * 31) & 0xff);
    expect(crc32(b, 7, 5, 39_000)).toBe(crc32js(b, 7, 5, 39_000));
  });
});
