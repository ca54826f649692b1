/**
 * What a reviewer-advice rule is: a small function from one stream's context (its locks, where
 * the builds' binaries go on it, whether the draft targets it, its promotion source) to a
 * finding or nothing. Each rule lives in a file of its own beside this one, with its message and
 * its case in the rules' test; `ADVICE_RULES` (index.ts) lists them. The CLI prints the findings
 * with one formatter (main/cli/draft-output.ts), the draft form with one component
 * (renderer/features/drafts/advice-findings.tsx).
 */
import { own } from '../../records';
import { compareEvr } from '../../rpm/nevra';
import { PROMOTION_SOURCE } from '../../streams';
import type { BinaryTargets } from '../build-placement';
import type { DeepReadonly } from '../../readonly';

/** arch -> binary -> locked EVR: a stream's lock as these rules read it. */
export type LockedVersions = Readonly<Record<string, Readonly<Record<string, { evr: string }>>>>;

/** One binary on one arch: what the stream locks and what the build has. */
export interface VersionGap {
  name: string;
  arch: string;
  locked: string;
  build: string;
}

/** One stream as these rules see it: its head, where the builds' binaries go, what it locks. */
export interface StreamLocks {
  stream: string;
  commit: string;
  /** The builds' binaries placed on this stream's lockfiles (placeBuildBinaries). */
  targets: BinaryTargets;
  /** The effective lock (lockfiles with the overrides applied). */
  locked: LockedVersions;
  /** The lockfiles alone (the base lock the overrides constrain); the effective lock when not given. */
  base?: LockedVersions;
}

/** One stream and what the draft does around it: what every rule reads. */
export interface AdviceContext {
  /** `pin` or `fast-track`. */
  action: string;
  stream: StreamLocks;
  /** The draft targets this stream. */
  targeted: boolean;
  /** Streams the draft already reaches: those targeted and those with this draft saved already. */
  covered: readonly string[];
  /** A release stream on the builds' Fedora release: a draft could be proposed there. */
  proposable: boolean;
  /** The stream's promotion source, when it has one and its head could be read. */
  source: (StreamLocks & { proposable: boolean }) | null;
}

/** `note`: something to consider (another stream to target); `warning`: this draft may be unneeded or wrong. */
export type AdviceSeverity = 'note' | 'warning';

/** What one rule says about one stream. */
export interface AdviceFinding {
  /** The rule's name (its file's), also the UI's test id for it. */
  rule: string;
  severity: AdviceSeverity;
  /** The stream the finding is about. */
  stream: string;
  /** The commit it was read at: the stream's head, or its promotion source's. */
  commit: string;
  /** The promotion source it names, if any. */
  source?: string;
  /** The binary-arches it is about. */
  gaps: VersionGap[];
  message: string;
  /** Its gist in a few words, for the line beside Save. */
  headline: string;
  /** A stream the user may add as a target (the CLI says `--stream`, the UI offers a button). */
  addStream?: string;
}

/** One rule: a finding about the stream, or null when the rule has nothing to say. */
export type AdviceRule = (ctx: DeepReadonly<AdviceContext>) => AdviceFinding | null;

/** Each binary-arch of the targets compared with what is locked: -1 older, 0 same, 1 newer (locked vs build), null not locked. */
export function compareTargets(targets: DeepReadonly<BinaryTargets>, locked: LockedVersions): { gap: VersionGap; cmp: -1 | 0 | 1 | null }[] {
  const out: { gap: VersionGap; cmp: -1 | 0 | 1 | null }[] = [];
  for (const name of Object.keys(targets).sort()) {
    for (const arch of Object.keys(targets[name]).sort()) {
      const build = targets[name][arch].evr;
      const have = own(own(locked, arch), name)?.evr;
      out.push({ gap: { name, arch, locked: have ?? '', build }, cmp: have === undefined ? null : compareEvr(have, build) });
    }
  }
  return out;
}

/** The binaries (per arch) a stream locks at a version older than the build's. */
export function olderThanBuild(targets: DeepReadonly<BinaryTargets>, locked: LockedVersions): VersionGap[] {
  return compareTargets(targets, locked)
    .filter((c) => c.cmp === -1)
    .map((c) => c.gap);
}

/** The stream a production stream is promoted from, if it is one. */
export const promotionSource = (stream: string): string | undefined => own(PROMOTION_SOURCE, stream);

/** Binaries named once each, with the build's versions: `podman 5:5.2.5-1.fc40, podman-docker …`. */
export function buildVersions(gaps: readonly VersionGap[]): string {
  const seen = new Map<string, Set<string>>();
  for (const g of gaps) (seen.get(g.name) ?? seen.set(g.name, new Set()).get(g.name)!).add(g.build);
  return [...seen].map(([n, v]) => `${n} ${[...v].join('/')}`).join(', ');
}

/** Binaries named once each, with the locked versions and their arches: `podman (5:5.2.3-1.fc40 on aarch64, x86_64)`. */
export function lockedVersions(gaps: readonly VersionGap[]): string {
  // name -> locked version -> arches
  const byName = new Map<string, Map<string, string[]>>();
  for (const g of gaps) {
    const versions = byName.get(g.name) ?? byName.set(g.name, new Map()).get(g.name)!;
    (versions.get(g.locked) ?? versions.set(g.locked, []).get(g.locked)!).push(g.arch);
  }
  return [...byName].map(([n, v]) => `${n} (${[...v].map(([evr, arches]) => `${evr} on ${arches.join(', ')}`).join('; ')})`).join(', ');
}

/** `stream (1a2b3c4)`: how the findings name a stream at a commit. */
export const at = (stream: string, commit: string): string => `${stream} (${commit.slice(0, 7)})`;
