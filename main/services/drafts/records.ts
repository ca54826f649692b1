/**
 * Draft records in `<gitdir>/lockstep/drafts/`, one JSON file per draft branch, and how a record
 * and its branch are made true together so that a kill at any point leaves the old draft or the
 * new one (`saveRecord`, `repairDrafts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DraftRecord } from '../../../shared/api/types';
import { parseState } from '../../../shared/drafts/lifecycle';
import { AppError } from '../../../shared/errors';
import { removeDeadTemps, writeFileAtomic } from '../../git/atomic-fs';
import { branchOid, setBranch } from '../../git/refs';
import { withWriterLock } from './writer-lock';

export const metaDir = (gitdir: string) => path.join(gitdir, 'lockstep', 'drafts');
export const metaFile = (gitdir: string, branch: string) => path.join(metaDir(gitdir), `${encodeURIComponent(branch)}.json`);
/** A record about to be made true by moving its branch; see `saveRecord`. */
export const PENDING = '.pending';

export const toJson = (rec: DraftRecord) => `${JSON.stringify(rec, null, 2)}\n`;

export interface RepairReport {
  completed: string[];
  dropped: string[];
  temps: number;
}

/** A record file, or null when it cannot be read as one. */
export function readRecord(file: string): DraftRecord | null {
  try {
    const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as DraftRecord;
    return typeof rec?.branch === 'string' && typeof rec.head === 'string' ? { ...rec, state: parseState(rec.state) } : null;
  } catch {
    return null;
  }
}

/**
 * Makes a record true together with its branch, so that a kill at any point leaves the old
 * draft or the new one: the record goes to `<name>.pending` (atomically), the branch moves
 * from `expected` (compare-and-swap under the writer lock), then the pending record is
 * renamed over the current one. `repairDrafts` finishes or rolls back an interrupted save by
 * asking which commit the branch points at.
 */
export async function saveRecord(gitdir: string, rec: DraftRecord, expected: string | null): Promise<void> {
  fs.mkdirSync(metaDir(gitdir), { recursive: true });
  const file = metaFile(gitdir, rec.branch);
  await writeFileAtomic(file + PENDING, toJson(rec));
  try {
    await setBranch(gitdir, rec.branch, rec.head, expected);
  } catch (err) {
    fs.rmSync(file + PENDING, { force: true });
    throw err;
  }
  fs.renameSync(file + PENDING, file);
}

/**
 * At open: finishes or rolls back saves a kill interrupted (a pending record whose branch
 * points at its commit is completed, any other is dropped), drops records whose branch is
 * gone (an interrupted discard), and removes temporary files our atomic writes left in the
 * git folder. Skipped when another writer holds the lock: it is alive and will finish.
 */
export async function repairDrafts(gitdir: string): Promise<RepairReport> {
  // Temporary files of dead processes are nobody's: removed with or without the lock.
  const report = { completed: [] as string[], dropped: [] as string[], temps: removeDeadTemps(gitdir) };
  try {
    await withWriterLock(gitdir, async () => {
      const dir = metaDir(gitdir);
      const names = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
      for (const n of names.filter((x) => x.endsWith(`.json${PENDING}`))) {
        const file = path.join(dir, n);
        const rec = readRecord(file);
        if (rec && (await branchOid(gitdir, rec.branch)) === rec.head) {
          fs.renameSync(file, file.slice(0, -PENDING.length));
          report.completed.push(rec.branch);
        } else {
          fs.rmSync(file, { force: true });
        }
      }
      for (const n of fs.existsSync(dir) ? fs.readdirSync(dir).filter((x) => x.endsWith('.json')) : []) {
        const rec = readRecord(path.join(dir, n));
        if (!rec || (await branchOid(gitdir, rec.branch)) === null) {
          fs.rmSync(path.join(dir, n), { force: true });
          report.dropped.push(rec?.branch ?? n);
        }
      }
    }, { waitMs: 200 });
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'conflict')) throw err;
  }
  return report;
}
