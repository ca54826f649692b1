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

/** Whether 32-bit words read in the machine's order put a buffer's first byte lowest (x86, ARM; not s390x). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Ranges shorter than this are summed a byte at a time: a word view costs an object. */
const WORDS_FROM = 64;

/**
 * The CRC-32 of `data[start, end)` (a string as its UTF-8 bytes), continuing from `seed`:
 * crc32(b, crc32(a)) is the CRC-32 of a then b, as zlib's crc32(data, value).
 *
 * A short process runs this mostly unoptimised (a warm `lockstep history` sums some 6 MB at
 * 10x), so the loop reads the bytes as 32-bit words where it can: a quarter of the loads, the
 * step that costs in V8's interpreter. The register stays a signed 32-bit integer throughout
 * (a sum past 2^31 as a double made V8 drop the optimised loop: "lost precision"), and the odd
 * bytes at either end have a function of their own (a loop the optimised code had never seen
 * run dropped it too).
 */
export function crc32(data: Uint8Array | string, seed = 0, start = 0, end = -1): number {
  const buf = typeof data === 'string' ? utf8(data) : data;
  return ~update(buf, ~seed, start, end < 0 ? buf.length : end) >>> 0;
}

function update(buf: Uint8Array, c: number, start: number, stop: number): number {
  if (!LITTLE_ENDIAN || stop - start < WORDS_FROM) return bytesAt(buf, c, start, stop);
  // Words from the first 4-byte boundary of the underlying memory (a typed array view must start on one).
  const from = start + ((4 - ((buf.byteOffset + start) & 3)) & 3);
  const words = ((stop - from) >> 3) << 1;
  c = bytesAt(buf, c, start, from);
  c = wordsAt(new Int32Array(buf.buffer, buf.byteOffset + from, words), c);
  return bytesAt(buf, c, from + words * 4, stop);
}

/** Eight bytes a step, two little-endian words, from eight tables. */
function wordsAt(w: Int32Array, c: number): number {
  const t = TABLES;
  for (let k = 0; k < w.length; k += 2) {
    const a = c ^ w[k];
    const b = w[k + 1];
    c =
      t[1792 + (a & 0xff)] ^
      t[1536 + ((a >>> 8) & 0xff)] ^
      t[1280 + ((a >>> 16) & 0xff)] ^
      t[1024 + (a >>> 24)] ^
      t[768 + (b & 0xff)] ^
      t[512 + ((b >>> 8) & 0xff)] ^
      t[256 + ((b >>> 16) & 0xff)] ^
      t[b >>> 24];
  }
  return c;
}

function bytesAt(buf: Uint8Array, c: number, i: number, stop: number): number {
  const t = TABLES;
  for (; i < stop; i++) c = t[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return c;
}
