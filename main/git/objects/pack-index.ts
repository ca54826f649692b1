/**
 * A pack's index (`.idx`, version 2): object id -> offset in the pack. The first lookups read
 * only what they need (the fan-out table, one first byte's run of ids, one offset); after
 * `WHOLE_AFTER` of them the whole file is read once and searched in memory. A warm `history`
 * checks one ref's type, and at 10x the index is 3 MB: reading it whole was a tenth of that run
 * (fresh memory costs about 3 ms a megabyte on the VMs measured). A walk looks up thousands.
 */
import fs from 'node:fs';
import { AppError } from '../../../shared/errors';
import { readRange } from '../file-range';

const MAGIC = 0xff744f63;
const FANOUT_AT = 8;
const OIDS_AT = FANOUT_AT + 256 * 4;
const WHOLE_AFTER = 16;

export class PackIndex {
  private readonly fanout: Buffer;
  private readonly count: number;
  private whole: Buffer | null = null;
  private lookups = 0;

  constructor(private readonly file: string) {
    const head = readRange(file, 0, OIDS_AT);
    if (head.length < OIDS_AT || head.readUInt32BE(0) !== MAGIC || head.readUInt32BE(4) !== 2) {
      throw new AppError('repo', `${file}: unsupported pack index (only version 2 is read)`, { file });
    }
    this.fanout = head.subarray(FANOUT_AT);
    this.count = this.fanout.readUInt32BE(255 * 4);
  }

  private get offsetsAt(): number {
    return OIDS_AT + this.count * 24;
  }

  /** Offset of the object `oid` (20 bytes) in the pack, or -1. */
  find(oid: Buffer): number {
    const first = oid[0];
    const lo = first === 0 ? 0 : this.fanout.readUInt32BE((first - 1) * 4);
    const hi = this.fanout.readUInt32BE(first * 4);
    if (hi <= lo) return -1;
    if (!this.whole && ++this.lookups > WHOLE_AFTER) this.whole = fs.readFileSync(this.file);
    // The run of ids that share the first byte, from memory or read on its own.
    const run = this.whole ? this.whole.subarray(OIDS_AT + lo * 20, OIDS_AT + hi * 20) : readRange(this.file, OIDS_AT + lo * 20, (hi - lo) * 20);
    if (run.length !== (hi - lo) * 20) throw new AppError('repo', `${this.file}: the pack index is shorter than its fan-out table says`, { file: this.file });
    let a = 0;
    let b = hi - lo;
    while (a < b) {
      const mid = (a + b) >>> 1;
      const c = run.compare(oid, 0, 20, mid * 20, mid * 20 + 20);
      if (c === 0) return this.offsetOf(lo + mid);
      if (c > 0) b = mid;
      else a = mid + 1;
    }
    return -1;
  }

  /** Pack offsets of 2 GiB and more are in a table of 8-byte offsets after the 4-byte ones. */
  private offsetOf(n: number): number {
    const off = this.bytes(this.offsetsAt + n * 4, 4).readUInt32BE(0);
    if (!(off & 0x80000000)) return off;
    const large = this.offsetsAt + this.count * 4 + (off & 0x7fffffff) * 8;
    const b = this.bytes(large, 8);
    return b.readUInt32BE(0) * 2 ** 32 + b.readUInt32BE(4);
  }

  private bytes(at: number, length: number): Buffer {
    const b = this.whole ? this.whole.subarray(at, at + length) : readRange(this.file, at, length);
    if (b.length !== length) throw new AppError('repo', `${this.file}: the pack index ends before offset ${at + length}`, { file: this.file });
    return b;
  }
}
