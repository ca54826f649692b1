/** A range of a file's bytes by a positioned read: the parts of a large file a reader needs, not the whole. */
import fs from 'node:fs';

/** `length` bytes of `file` from `offset`; fewer when the file ends first. */
export function readRange(file: string, offset: number, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(length);
    return buf.subarray(0, fs.readSync(fd, buf, 0, length, offset));
  } finally {
    fs.closeSync(fd);
  }
}
