import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { seededBytes as bytes } from '../../helpers/seeded-bytes';
import { crc32 } from '../../../shared/crc32';

describe('crc32', () => {
  it('equals zlib on every length around the 8-byte step, from any seed', () => {
    for (let n = 0; n <= 70; n++) {
      const b = bytes(n, n + 1);
      expect(crc32(b)).toBe(zlibCrc32(b));
      expect(crc32(b, 0xdeadbeef)).toBe(zlibCrc32(b, 0xdeadbeef));
    }
    const big = bytes(100_003, 7);
    expect(crc32(big)).toBe(zlibCrc32(big));
    expect(crc32('')).toBe(0);
    expect(crc32('123456789')).toBe(0xcbf43926);
  });

  it('equals zlib on ranges long enough to be read as words, wherever they start in memory', () => {
    const whole = bytes(4096 + 16, 9);
    for (let offset = 0; offset < 8; offset++) {
      // A view starting `offset` bytes into its memory, as a Buffer from Node's pool or a subarray is.
      const view = whole.subarray(offset);
      for (const n of [63, 64, 65, 71, 72, 73, 100, 1000, 4096]) {
        for (const start of [0, 1, 2, 3, 5]) {
          expect(crc32(view, 0, start, start + n)).toBe(zlibCrc32(view.subarray(start, start + n)));
          expect(crc32(view, 0xfffffffe, start, start + n)).toBe(zlibCrc32(view.subarray(start, start + n), 0xfffffffe));
        }
      }
    }
  });

  it('takes a range of the buffer as the bytes of that range alone', () => {
    const b = bytes(500, 3);
    for (const [s, e] of [[0, 500], [1, 499], [7, 8], [13, 13], [100, 357]]) expect(crc32(b, 0, s, e)).toBe(zlibCrc32(b.subarray(s, e)));
  });

  it('continues from a seed as zlib does, and reads a string as its UTF-8', () => {
    const a = bytes(33, 1);
    const b = bytes(91, 2);
    expect(crc32(b, crc32(a))).toBe(zlibCrc32(Buffer.concat([a, b])));
    for (const s of ['kernel-ü-🎓', 'ß\u07ff\u0800\uffff', 'lone \ud800 and \udc00', '']) expect(crc32(s)).toBe(zlibCrc32(s));
  });
});
