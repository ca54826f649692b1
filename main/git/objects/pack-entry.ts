/**
 * One pack entry's header, as git writes it (gitformat-pack): a type and an inflated size in a
 * little-endian varint, then for an OFS_DELTA its base's distance back (git's "offset
 * encoding", each continuation adds one before the shift) or for a REF_DELTA its base's oid.
 * The pack reader (object-store.ts) and index-pack both read entries through this one decoder.
 */

export const OFS_DELTA = 6;
export const REF_DELTA = 7;

/** The object types a pack entry may hold whole, by their type number. */
const WHOLE_TYPES: readonly ('commit' | 'tree' | 'blob' | 'tag' | null)[] = [null, 'commit', 'tree', 'blob', 'tag', null, null, null];

/** The object type of a whole (non-delta) entry's type number, or null (a delta, or unknown). */
export const wholeType = (type: number): 'commit' | 'tree' | 'blob' | 'tag' | null => WHOLE_TYPES[type] ?? null;

export interface PackEntryHeader {
  /** 1–4 a whole object (commit, tree, blob, tag), 6 OFS_DELTA, 7 REF_DELTA. */
  type: number;
  /** The inflated size of the entry's data (for a delta: of the delta). */
  size: number;
  /** OFS_DELTA: the base's offset in the pack (this entry's offset minus the distance); else -1. */
  baseOffset: number;
  /** REF_DELTA: the base's oid, hex; else null. */
  baseOid: string | null;
  /** Where the entry's zlib data starts. */
  dataAt: number;
}

/** Reads the header of the entry at `at` of a pack's bytes. */
export function readEntryHeader(pack: Buffer, at: number): PackEntryHeader {
  let p = at;
  let c = pack[p++];
  const type = (c >> 4) & 7;
  let size = c & 15;
  let shift = 4;
  while (c & 0x80) {
    c = pack[p++];
    // Multiplication, not <<: a size may pass 2^31.
    size += (c & 0x7f) * 2 ** shift;
    shift += 7;
  }
  let baseOffset = -1;
  let baseOid: string | null = null;
  if (type === OFS_DELTA) {
    c = pack[p++];
    let rel = c & 0x7f;
    while (c & 0x80) {
      c = pack[p++];
      rel = (rel + 1) * 128 + (c & 0x7f);
    }
    baseOffset = at - rel;
  } else if (type === REF_DELTA) {
    baseOid = pack.toString('hex', p, p + 20);
    p += 20;
  }
  return { type, size, baseOffset, baseOid, dataAt: p };
}
