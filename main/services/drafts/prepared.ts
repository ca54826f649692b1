/** A draft planned and composed but not yet written, and what a rebase may be given: the types the store and its rebase share. */
import type { DraftRecord, DraftRequestData, DraftView } from '../../../shared/api/types';
import type { BuildBinary } from '../../../shared/bodhi/build-placement';
import type { DraftPlan } from '../../../shared/drafts/plan';
import type { Finding } from '../../../shared/drafts/validate';
import type { ArchDiff } from '../../../shared/lockfile/diff';
import type { Identity } from '../../git/identity';

export interface PreparedDraft {
  request: DraftRequestData;
  stream: string;
  base: string;
  baseDate: string;
  plan: DraftPlan;
  message: string;
  /** file -> [before, after] (before null: a new file). */
  texts: Record<string, [string | null, string]>;
  /** The effect: effective-lock diff of the stream head against the draft. */
  effect: ArchDiff[];
  findings: Finding[];
}

export interface RebaseOptions {
  /** A source build's binaries (Koji's listBuildRPMs, from the answer cache first). */
  buildBinaries?: (nvr: string) => Promise<BuildBinary[]>;
  /** A conflict is resolved by applying the recorded request again on the new head, as the same draft. */
  redraft?: boolean;
}

/** What a rebase needs of the draft store (the store itself): reading drafts and writing them in its order. */
export interface DraftWriter {
  get(branch: string): Promise<DraftView>;
  write<T>(fn: () => Promise<T>): Promise<T>;
  notCheckedOut(branch: string, op: string): Promise<void>;
  streamHead(stream: string): Promise<string>;
  prepare(req: DraftRequestData): Promise<PreparedDraft>;
  writeCommit(prepared: PreparedDraft, author: Identity, committer: Identity): Promise<string>;
  saveRecord(rec: DraftRecord, expected: string | null): Promise<void>;
  rawPrepared(stream: string, base: string, texts: Record<string, [string | null, string]>, message: string, findings: Finding[]): PreparedDraft;
}
