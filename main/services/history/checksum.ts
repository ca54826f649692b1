/**
 * The crc32 the history index checks its files with: zlib's own (native) for a long range (the
 * commit log in 64 kB reads, the positions file, a long package's rows), `shared/crc32.ts` for
 * a short one (a record, a sealed header), where a call into Node per record would cost more.
 *
 * A warm `lockstep history` at 10x sums some 6 MB. It is a short process that runs its
 * JavaScript mostly unoptimised (its tier-up budget is raised, `main/cli/entry.ts`), and the
 * JavaScript crc32 read the log at about a fifth of zlib's speed: 1.67x -> 1.59x a bare node
 * start. node:zlib loads Node's streams, which a history has loaded by then (node:v8 needs
 * them); on a Node without zlib.crc32 (before 20.15) every range is summed in JavaScript.
 */
import * as zlib from 'node:zlib';
import { crc32 as crc32js } from '../../../shared/crc32';

/** Ranges at least this long go to zlib. */
const LONG = 16 * 1024;
let native: ((data: Uint8Array, value?: number) => number) | null | undefined;

/** The CRC-32 of `data[start, end)` continuing from `seed`, as `shared/crc32.ts` has it. */
export function crc32(data: Uint8Array | string, seed = 0, start = 0, end = -1): number {
  if (typeof data !== 'string') {
    const stop = end < 0 ? data.length : end;
    if (stop - start >= LONG && (native ??= typeof zlib.crc32 === 'function' ? zlib.crc32 : null)) return native(data.subarray(start, stop), seed);
  }
  return crc32js(data, seed, start, end);
}
