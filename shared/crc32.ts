/**
 * CRC-32 (the zlib and gzip one: reflected polynomial 0xEDB88320), eight bytes a step from
 * eight tables. The history index checks every file and record it reads with it. zlib's own
 * crc32 is native but costs a call into Node per record (3,000 short commit lines in a warm
 * query at 10x: 5.5 ms) and loading `node:zlib` loads Node's streams with it (4 ms of every CLI
 * start); here a line is a plain function call on a range of the buffer it was read into.
 */

const TABLES = (() => {
  const t = new Int32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n];
    for (let s = 1; s < 8; s++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[s * 256 + n] = c;
    }
  }
  return t;
})();

/** A string's UTF-8 bytes (`shared/` runs where neither Buffer nor TextEncoder is promised). */
function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    // A lone surrogate is U+FFFD, as Buffer.from and TextEncoder have it.
    const p = ch.codePointAt(0)!;
    const c = p >= 0xd800 && p <= 0xdfff ? 0xfffd : p;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/**
 * The CRC-32 of `data[start, end)` (a string as its UTF-8 bytes), continuing from `seed`:
 * crc32(b, crc32(a)) is the CRC-32 of a then b, as zlib's crc32(data, value).
 */
export function crc32(data: Uint8Array | string, seed = 0, start = 0, end = -1): number {
  const buf = typeof data === 'string' ? utf8(data) : data;
  const stop = end < 0 ? buf.length : end;
  const t = TABLES;
  let c = ~seed;
  let i = start;
  for (const end8 = stop - ((stop - start) & 7); i < end8; i += 8) {
    const a = c ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24));
    c =
      t[1792 + (a & 0xff)] ^
      t[1536 + ((a >>> 8) & 0xff)] ^
      t[1280 + ((a >>> 16) & 0xff)] ^
      t[1024 + (a >>> 24)] ^
      t[768 + buf[i + 4]] ^
      t[512 + buf[i + 5]] ^
      t[256 + buf[i + 6]] ^
      t[buf[i + 7]];
  }
  for (; i < stop; i++) c = t[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
