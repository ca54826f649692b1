/**
 * The one typed contract between the UI and the back end. Every call is named here
 * (`noun:verb`) with its request and result; every event with its payload. Both hosts (Electron
 * IPC and the browser host's HTTP/WebSocket) serve exactly these, and only plain data crosses:
 * ISO dates, errors as `{code, message, data}`.
 */
import type { AdvisoriesView, CarriesView } from './advisory-types';
import type { DraftState } from '../drafts/lifecycle';
import type { GraduationDraftResult, StreamGraduation } from '../graduation';
import type { OverridesBoard } from '../overrides-board';
import type { GithubTokenStatus, SettingsPatch, SettingsView } from './settings-types';
import type { AvailabilityResult, BuildResolution, FromBuildsDraftRequest, StreamAdvice, StreamPlan } from './update-types';
import type { OtherFilesResult, PromotionView } from './types';
import type { DiffRequest, DiffResult, DraftPreview, DraftRecord, DraftRequestData, DraftView, HistoryAnswer, HistoryRequest, DraftInfo, RawEditRequest, RebaseResult, StreamSummary, VersionChoice } from './types';

/** A named call: request and result types. */
export interface Call<Req, Res> {
  req: Req;
  res: Res;
}

export interface AppInfo {
  version: string;
  host: 'electron' | 'browser';
  platform: string;
  /** Where clones go by default. */
  dataDir: string;
}

export interface RepoInfo {
  /** The folder the user opened (work tree or bare repo). */
  dir: string;
  bare: boolean;
  /** The upstream remote's URL, when the clone has one. */
  remoteUrl: string | null;
  /** Streams found (names, in stream order). */
  streams: string[];
  /** True for the generated demo repo. */
  demo: boolean;
}

export interface RecentRepo {
  dir: string;
  openedAt: string;
}

export interface CloneRequest {
  url: string;
  /** Destination folder; default a folder named after the URL in the app's data folder. */
  dir?: string;
  /** Chosen by the caller so it can cancel and match progress events. */
  operationId: string;
}

export interface FetchRequest {
  operationId: string;
}

export interface FetchResult {
  /** Streams whose head moved, with old and new heads. */
  updated: { name: string; from: string | null; to: string }[];
  /** Drafts that became stale with this fetch. */
  staleDrafts: string[];
}

export interface RefChoice {
  name: string;
  kind: 'stream' | 'branch' | 'tag';
  oid: string;
}

/** Progress of a long operation (clone, fetch, index build). */
/** The `op:progress` id of a draft write waiting for another writer's lock: `loaded` 0 while it waits, 1 when the wait ends. */
export const WRITER_WAIT_OPERATION = 'writer-lock';

export interface ProgressEvent {
  operationId: string;
  phase: string;
  loaded: number;
  /** 0 when unknown. */
  total: number;
  /** 0..100, or null when the total is unknown. */
  percent: number | null;
}

/** The back end asks the UI for a token when the server wants credentials and no helper has one. */
export interface CredentialRequest {
  requestId: string;
  /** The URL without any user info. */
  url: string;
  /** Set when the previous answer was rejected by the server. */
  rejected: boolean;
}

export interface CredentialAnswer {
  requestId: string;
  /** null: the user cancelled. */
  username: string | null;
  password: string | null;
  remember: boolean;
}

export interface ApiCalls {
  'app:info': Call<void, AppInfo>;
  'repo:current': Call<void, RepoInfo | null>;
  'repo:recent': Call<void, RecentRepo[]>;
  'repo:open': Call<{ dir: string }, RepoInfo>;
  'repo:close': Call<void, void>;
  'repo:clone': Call<CloneRequest, RepoInfo>;
  'repo:demo': Call<void, RepoInfo>;
  'repo:fetch': Call<FetchRequest, FetchResult>;
  'op:cancel': Call<{ operationId: string }, void>;
  'credentials:answer': Call<CredentialAnswer, void>;
  'streams:list': Call<void, StreamSummary[]>;
  'refs:list': Call<void, RefChoice[]>;
  'diff:refs': Call<DiffRequest, DiffResult>;
  'diff:markdown': Call<DiffRequest, string>;
  /** The files other than lockfiles and overrides that differ between two refs, with their diffs. */
  'review:otherFiles': Call<{ from: string; to: string }, OtherFilesResult>;
  /** Lanes as indexes into commits and versions sent once (`decodeHistory` gives the rows back). */
  'history:package': Call<HistoryRequest, HistoryAnswer>;
  /** A commit's whole message (a history row's rationale, read when opened). */
  'history:commit': Call<{ commit: string }, { commit: string; message: string }>;
  'versions:list': Call<{ name: string }, VersionChoice[]>;
  'drafts:list': Call<void, DraftView[]>;
  'drafts:preview': Call<DraftRequestData, DraftPreview>;
  'drafts:save': Call<DraftRequestData, DraftView>;
  /** With `deleteRemote`, the remote branch it was pushed to goes too, under a lease on the commit pushed there. */
  'drafts:discard': Call<{ branch: string; deleteRemote?: boolean }, void>;
  /**
   * With `redraft`, a conflict is resolved by applying the draft's recorded request again on the
   * new head; with `at`, a promotion is made again from this commit of its source (a stream name: its head).
   */
  'drafts:rebase': Call<{ branch: string; redraft?: boolean; at?: string }, RebaseResult>;
  /** Takes the commit an edited draft's branch holds as the draft. */
  'drafts:adopt': Call<{ branch: string }, DraftView>;
  'drafts:saveRaw': Call<RawEditRequest, DraftRecord>;
  'files:read': Call<{ ref: string }, { commit: string; files: Record<string, string> }>;
  /** Graduation over every stream shown (hidden streams left out). */
  'graduation:all': Call<{ offline?: boolean }, StreamGraduation[]>;
  /** One removal draft per stream with graduated fast-tracks (none where one exists). */
  'graduation:draftAll': Call<{ streams?: string[] }, GraduationDraftResult[]>;
  /** Every override of every stream shown and every draft, with their flags (offline; graduation from its cache). */
  'overrides:board': Call<void, OverridesBoard>;
  'drafts:push': Call<{ branch: string; remoteBranch?: string }, void>;
  /** Pushes drafts one after another, each once the previous one's checks passed. */
  'drafts:pushInOrder': Call<{ branches: string[] }, void>;
  'drafts:info': Call<{ branch: string }, DraftInfo>;
  'queue:cancel': Call<{ branch: string }, void>;
  /** Retries now every push waiting for the network. */
  'queue:retry': Call<void, void>;
  'identity:get': Call<void, { name: string; email: string } | null>;
  /** Stores the identity in git's global config (every repo) or this clone's own config. */
  'identity:set': Call<{ name: string; email: string; scope?: 'global' | 'repo' }, void>;
  /** Bodhi update IDs/URLs and/or source NVRs -> their builds and binaries (cached for offline use). */
  'builds:resolve': Call<{ inputs: string[] }, BuildResolution>;
  /** One plan per target stream, each with its own refusal if any. */
  'builds:preview': Call<FromBuildsDraftRequest, StreamPlan[]>;
  /** One draft per stream, all checked before any is written. */
  'builds:save': Call<FromBuildsDraftRequest, DraftView[]>;
  /** Streams to propose as further targets, and chosen production streams promotion makes unnecessary. */
  'builds:advice': Call<{ inputs: string[]; streams: string[]; action: 'pin' | 'fast-track' }, StreamAdvice>;
  /** A draft's NEVRAs against the build pool's rpm-md metadata. */
  'drafts:availability': Call<{ branch: string; offline?: boolean }, AvailabilityResult>;
  /** A previewed draft's NEVRAs (per lockfile arch) against the build pool, before anything is saved. */
  'pool:check': Call<{ stream: string; nevras: { nevra: string; arch: string }[]; offline?: boolean }, AvailabilityResult>;
  /** The security updates each stream is missing (Bodhi, cached; `offline` answers from the cache). */
  'advisories:list': Call<{ offline?: boolean }, AdvisoriesView>;
  /** Whether each stream carries the fix of an update, a CVE id or a source package's newest security update. */
  'advisories:carries': Call<{ query: string; offline?: boolean }, CarriesView>;
  /** What promoting `source` onto `target` carries and what stays per stream; writes nothing. */
  'promotion:view': Call<{ source: string; target: string }, PromotionView>;
  /** Drafts the promotion (SPEC §2.15); nothing to promote is a bad-input error. */
  'promotion:draft': Call<{ source: string; target: string; at?: string }, DraftRecord>;
  'settings:get': Call<void, SettingsView>;
  /** Validated, saved and applied at once; answers the settings as now in force. */
  'settings:set': Call<SettingsPatch, SettingsView>;
  /** Where the GitHub token in use comes from (never the token). */
  'forge:tokenStatus': Call<void, GithubTokenStatus>;
  /** Keeps a GitHub token in the host's store (OS store or git's helper); an empty one forgets the saved token. */
  'forge:setToken': Call<{ token?: string }, GithubTokenStatus>;
}

export interface ApiEvents {
  'op:progress': ProgressEvent;
  'credentials:request': CredentialRequest;
  'repo:changed': RepoInfo | null;
  'drafts:changed': { branch: string; state: DraftState };
}

export type ApiChannel = keyof ApiCalls;
export type ApiEventName = keyof ApiEvents;
export type ApiRequest<K extends ApiChannel> = ApiCalls[K]['req'];
export type ApiResponse<K extends ApiChannel> = ApiCalls[K]['res'];

/** What the back end implements: one async handler per call. A missing one is a compile error. */
export type ApiHandlers = { [K in ApiChannel]: (req: ApiRequest<K>) => Promise<ApiResponse<K>> };

/** How the back end emits events to whichever host carries them. */
export type EmitEvent = <E extends ApiEventName>(name: E, payload: ApiEvents[E]) => void;

/**
 * Every channel at run time, for hosts to register. `satisfies` plus the exhaustiveness check
 * below make adding a call to ApiCalls without listing it here a compile error.
 */
export const API_CHANNELS = [
  'app:info',
  'repo:current',
  'repo:recent',
  'repo:open',
  'repo:close',
  'repo:clone',
  'repo:demo',
  'repo:fetch',
  'op:cancel',
  'credentials:answer',
  'streams:list',
  'refs:list',
  'diff:refs',
  'diff:markdown',
  'review:otherFiles',
  'history:package',
  'history:commit',
  'versions:list',
  'drafts:list',
  'drafts:preview',
  'drafts:save',
  'drafts:discard',
  'drafts:rebase',
  'drafts:adopt',
  'drafts:saveRaw',
  'files:read',
  'graduation:all',
  'graduation:draftAll',
  'overrides:board',
  'drafts:push',
  'drafts:pushInOrder',
  'drafts:info',
  'queue:cancel',
  'queue:retry',
  'identity:get',
  'identity:set',
  'builds:resolve',
  'builds:preview',
  'builds:save',
  'builds:advice',
  'drafts:availability',
  'pool:check',
  'advisories:list',
  'advisories:carries',
  'promotion:view',
  'promotion:draft',
  'settings:get',
  'settings:set',
  'forge:tokenStatus',
  'forge:setToken',
] as const satisfies readonly ApiChannel[];

export const API_EVENTS = ['op:progress', 'credentials:request', 'repo:changed', 'drafts:changed'] as const satisfies readonly ApiEventName[];

type Missing<All, Listed> = Exclude<All, Listed>;
const channelsComplete: Missing<ApiChannel, (typeof API_CHANNELS)[number]> extends never ? true : never = true;
const eventsComplete: Missing<ApiEventName, (typeof API_EVENTS)[number]> extends never ? true : never = true;
void channelsComplete;
void eventsComplete;
