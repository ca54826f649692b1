import { describe, expect, it } from 'vitest';
import { fileClass, killPoints, meaningfulKillPoints } from '../../helpers/kill-points';

// A fetch's trace in small: a pack through a temp file, two remote refs, the history index's
// appends (a run of three to one file) and its header renamed in last.
const TRACE = [
  'mkdirSync /objects/pack',
  'open /objects/pack/.pack-ab12cd34ef.pack.tmp-7-0',
  'handle.writeFile /objects/pack/.pack-ab12cd34ef.pack.tmp-7-0',
  'rename /objects/pack/.pack-ab12cd34ef.pack.tmp-7-0 -> /objects/pack/pack-ab12cd34ef.pack',
  'open /refs/remotes/origin/.stable.tmp-7-1',
  'handle.writeFile /refs/remotes/origin/.stable.tmp-7-1',
  'rename /refs/remotes/origin/.stable.tmp-7-1 -> /refs/remotes/origin/stable',
  'open /refs/remotes/origin/.testing.tmp-7-2',
  'handle.writeFile /refs/remotes/origin/.testing.tmp-7-2',
  'rename /refs/remotes/origin/.testing.tmp-7-2 -> /refs/remotes/origin/testing',
  'writeSync /lockstep/history3/commits.jsonl',
  'writeSync /lockstep/history3/commits.jsonl',
  'writeSync /lockstep/history3/commits.jsonl',
  'rename /lockstep/history3/.commits.json.tmp-7-3 -> /lockstep/history3/commits.json',
]
  .flatMap((w, i) => [`${2 * i + 1} before ${w}`, `${2 * i + 2} after ${w}`])
  .join('\n');
const after = (write: number) => 2 * write; // the "after" point of the write numbered from 1

describe('kill points cut by meaning', () => {
  it('keeps the first point and one after every write when not cut', () => {
    expect(killPoints(TRACE)).toEqual([1, ...Array.from({ length: 14 }, (_, i) => after(i + 1))]);
  });

  it('drops a temp file\'s byte writes, the middle of a run of appends, and a repeated step; keeps the rest', () => {
    expect(meaningfulKillPoints(TRACE)).toEqual([
      1,
      after(1), // the pack folder made
      after(2), // the pack's temp exists (its writeFile is the same case)
      after(4), // the pack renamed in
      after(5), // a ref's temp exists
      after(7), // a ref renamed in, another to come
      // the second ref's open and rename repeat the first's steps: one case
      after(10), // the last ref renamed in, the index next
      after(11), // the first append
      // the second append: the middle of the run
      after(13), // the last append
      after(14), // the header renamed in (the last write)
    ]);
  });

  it('classes a file by what it is to a reader', () => {
    expect(fileClass('/refs/remotes/origin/.stable.tmp-7-1')).toBe(fileClass('/refs/remotes/origin/.testing.tmp-9-4'));
    expect(fileClass('/objects/pack/pack-ab12cd34ef.pack')).not.toBe(fileClass('/objects/pack/pack-ab12cd34ef.idx'));
    expect(fileClass('/lockstep/history3/commits.pos')).toBe(fileClass('/lockstep/history3/0123456789abcdef.x86_64.rows'));
  });
});
