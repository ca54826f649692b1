/**
 * The commit table's reader for queries (`CommitLog`): rows come back in the order asked, a row
 * asked twice as the same row, however the lines fall into reads (lines far apart, lines longer
 * than a read) and into parses (JOIN_AT_ONCE); a line that checks out but is not JSON is named.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommitLog, CommitTable } from '../../../main/services/history/commit-table';
import { IndexDamage, type CommitRow } from '../../../main/services/history/format';
import { crc32 } from '../../../shared/crc32';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

afterAll(() => cleanupTempDirs());

const oid = (i: number) => i.toString(16).padStart(40, '0');
/** Rows of every length the reader meets: short ones, non-ASCII ones, merged ones, and a message of 200 kB (longer than a read). */
function row(i: number): CommitRow {
  const message = i === 7 ? `long one\n\n${'x'.repeat(200_000)}\n` : i % 5 === 0 ? `lockfiles: bump ü ${i} "q" \\ 🎓\n\nbody ${i}\n` : `lockfiles: bump ${i}`;
  return [oid(i), `2024-01-${String((i % 28) + 1).padStart(2, '0')}T00:00:00+00:00`, i % 3 ? 'CoreOS Bot' : 'Timothée Ravier', 'bot@example.org', message, i % 11 ? [] : [[oid(i + 1000), 'merged']]];
}

async function table(count: number): Promise<string> {
  const dir = makeTempDir('lockstep-commit-log-');
  const t = new CommitTable(dir);
  t.append(Array.from({ length: count }, (_, i) => row(i)));
  await t.commit();
  return dir;
}

describe('CommitLog.read', () => {
  it('gives each row asked, in the order asked, whatever reads and parses it takes', async () => {
    const count = 3000;
    const dir = await table(count);
    const log = new CommitLog(dir);
    try {
      // Descending (a page, newest first), scattered, with repeats, and every row once: joins of
      // many parses, reads with gaps, and the 200 kB line read alone.
      const asks = [
        Array.from({ length: count }, (_, i) => count - 1 - i),
        [2999, 0, 7, 7, 1500, 3, 2999, 8, 6, 7],
        [10, 10, 12, 11, 11, 13],
        Array.from({ length: 400 }, (_, i) => (i * 997) % count),
      ];
      for (const rows of asks) {
        for (const verified of [false, true]) {
          const got = log.read(rows, verified);
          expect(got).toEqual(rows.map(row));
        }
      }
    } finally {
      log.close();
    }
  });

  /**
   * Row 1's line replaced by `line(old)` (as long), its crc32 and the positions file's rewritten
   * to match: a line that passes the check, so the parse is all that can find it.
   */
  async function withLine1(line: (old: Buffer) => Buffer): Promise<string> {
    const dir = await table(40);
    const logFile = path.join(dir, 'commits.jsonl');
    const text = fs.readFileSync(logFile);
    const first = text.indexOf(10);
    const second = text.indexOf(10, first + 1);
    const now = line(text.subarray(first + 1, second));
    expect(now.length).toBe(second - first - 1);
    fs.writeFileSync(logFile, Buffer.concat([text.subarray(0, first + 1), now, text.subarray(second)]));
    const posFile = path.join(dir, 'commits.pos');
    const pos = fs.readFileSync(posFile);
    pos.writeUInt32BE(crc32(now), 16 + 12);
    fs.writeFileSync(posFile, pos);
    const head = JSON.parse(fs.readFileSync(path.join(dir, 'commits.json'), 'utf8').slice(9));
    head.pos = crc32(pos);
    const body = Buffer.from(JSON.stringify(head));
    fs.writeFileSync(path.join(dir, 'commits.json'), Buffer.concat([Buffer.from(`${crc32(body).toString(16).padStart(8, '0')} `), body]));
    return dir;
  }

  it('names a row whose line checks out but is not JSON, or is two values that would pass as two rows', async () => {
    const damages = [
      (old: Buffer) => Buffer.concat([old.subarray(0, -1), Buffer.from(' ')]), // its closing bracket gone
      (old: Buffer) => Buffer.from('[0],[1]'.padEnd(old.length)), // two arrays: the joined parse would count three rows for two lines
    ];
    for (const damage of damages) {
      const log = new CommitLog(await withLine1(damage));
      try {
        expect(log.read([0, 2])).toEqual([row(0), row(2)]);
        expect(() => log.read([0, 1, 2])).toThrow(IndexDamage);
        expect(() => log.read([2, 1, 0], true)).toThrow('commit row 1 is not JSON');
      } finally {
        log.close();
      }
    }
  });
});
