/** Plain-data types of drafting from a Bodhi update or source NVRs, and of a draft's availability. */
import type { ReleaseOffer } from '../bodhi/release-update';
import type { AvailabilityRow } from '../availability';
import type { AdviceFinding } from '../bodhi/advice/rule';
import type { DraftPreview } from './types';

/** One source build, its binaries grouped by the arch Koji built them for (`noarch` its own group). */
export interface ResolvedBuildView {
  nvr: string;
  /** The update's page, when the build came from one. */
  bodhi: string | null;
  /** RPM arch -> binaries (name, EVR) of that arch; source RPMs left out. */
  binaries: Record<string, { name: string; evr: string }[]>;
}

export interface BuildResolution {
  /** What the input named: updates (fast-track by default) or source NVRs (pin by default). */
  kind: 'update' | 'srpm' | 'mixed';
  updates: { alias: string; url: string; distTag: string | null }[];
  builds: ResolvedBuildView[];
}

/** A request to draft from builds: one draft per stream. */
export interface FromBuildsDraftRequest {
  /** Update IDs or URLs and/or source NVRs. */
  inputs: string[];
  streams: string[];
  action: 'pin' | 'fast-track';
  reason?: string;
  ignoreDistMismatch?: boolean;
  message?: string;
  signoff?: boolean;
  /** stream -> the head its preview was read at: a save is refused as stale where the stream moved since. */
  bases?: Record<string, string>;
}

/** What one target stream would get, or why it cannot. */
export interface StreamPlan {
  stream: string;
  preview: DraftPreview | null;
  /** A refusal for this stream (dist-tag mismatch, nothing locked), else null. */
  error: string | null;
  /** The refusal is a dist-tag mismatch (the form offers "draft anyway" for it). */
  distMismatch?: boolean;
  /** On a dist-tag mismatch: the stream's own release's update of the same source, when Bodhi has one. */
  offer?: ReleaseOffer | null;
  /** Binaries of the builds no lockfile of the stream lists. */
  skipped: string[];
  /** binary -> arches that lock it but the build has nothing for. */
  notBuiltFor: Record<string, string[]>;
}

export interface AvailabilityResult {
  rows: AvailabilityRow[];
  /** arch -> why its metadata could not be read (the cache answered, or nothing did). */
  errors: Record<string, string>;
}

/** What the app says about the targets before a draft is saved: the findings of the advice rules (shared/bodhi/advice/). */
export interface StreamAdvice {
  /** About the targeted streams first (in the order given), then the streams proposed as targets. */
  findings: AdviceFinding[];
}
