/**
 * The back end of the app: one handler per call of the API contract, shared by both hosts.
 * Hosts only carry calls and events; everything the UI can do is here.
 */
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import type { ApiHandlers, EmitEvent, RefChoice, RepoInfo } from '../../shared/api/contract';
import { AppError } from '../../shared/errors';
import { diffToMarkdown } from '../../shared/lockfile/diff-markdown';
import { compareEvr } from '../../shared/rpm/nevra';
import { isValidBranchName } from '../../shared/drafts/rationale';
import { unifiedDiff } from '../../shared/text/line-diff';
import type { HistoryResult, VersionChoice } from '../../shared/api/types';
import { cloneRepo } from '../git/clone';
import { fetchAll } from '../git/fetch';
import { stripUserInfo } from '../git/transport-errors';
import { ConfigRepo } from './config-repo';
import { gitCredentialProvider, type CredentialProvider, type Credentials } from './credentials';
import { createDemoRepo } from './demo-repo';
import { diffRefs } from './diff';
import { DraftStore } from './drafts';
import { HistoryIndex } from './history-index';
import { draftGraduation, graduationReport } from './graduation';
import { PushQueue } from './push-queue';
import { githubClient } from './forge-github';
import { BackgroundIndexer } from './background-index';
import { dataDir as defaultDataDir, SettingsStore } from './settings';
import { listStreams, streamsOverview } from './streams';
import { version } from '../../package.json';
import { resolveIdentity } from '../git/identity';
import { atomicFs } from '../git/atomic-fs';

export interface AppContext {
  host: 'electron' | 'browser';
  emit: EmitEvent;
  dataDir?: string;
  /** A repo to open at start (`lockstep serve --repo`). */
  initialRepo?: string;
  /** Where the user's answer to a token prompt is kept (safeStorage in Electron, a 0600 file otherwise). */
  tokenStore?: CredentialProvider & { save(url: string, c: Credentials): Promise<void> };
}

export interface AppBackend {
  handlers: ApiHandlers;
  /** Opens `initialRepo` if given; errors are reported but do not stop the host. */
  start(): Promise<void>;
  dispose(): void;
}

/** The URL's last path segment without `.git`: the default clone folder name. */
export function cloneFolderName(url: string): string {
  const clean = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const last = clean.slice(clean.lastIndexOf('/') + 1).replace(/\.git$/, '');
  return last.replace(/[^A-Za-z0-9._-]/g, '_') || 'repo';
}

export function createBackend(ctx: AppContext): AppBackend {
  const dataDir = ctx.dataDir ?? defaultDataDir();
  const settings = new SettingsStore(path.join(dataDir, 'settings.json'));
  const operations = new Map<string, AbortController>();
  const pendingAnswers = new Map<string, (c: Credentials | null) => void>();
  let repo: ConfigRepo | null = null;
  let history: HistoryIndex | null = null;
  let queue: PushQueue | null = null;

  /** The push queue of the open repo; GitHub's API is used when a token is set in the environment. */
  function startQueue(r: ConfigRepo): PushQueue {
    queue?.stop();
    const token = process.env.LOCKSTEP_GITHUB_TOKEN ?? process.env.GITHUB_TOKEN;
    queue = new PushQueue(r, {
      concurrency: settings.read().pushConcurrency,
      remote: settings.read().pushRemote || undefined,
      credentials,
      forge: (url) => (token && /github\.com/.test(url) ? githubClient({ token }) : null),
      onChange: (branch, state) => ctx.emit('drafts:changed', { branch, state }),
    });
    void queue.reconcile().catch(() => undefined);
    return queue;
  }
  let info: RepoInfo | null = null;
  let nextRequest = 1;

  // Asks the UI for a token when no credential helper had one; the answer never goes back out.
  const promptProvider: CredentialProvider = {
    get(url, attempt) {
      const requestId = `cred-${nextRequest++}`;
      return new Promise((resolve) => {
        pendingAnswers.set(requestId, resolve);
        ctx.emit('credentials:request', { requestId, url: stripUserInfo(url), rejected: attempt > 0 });
      });
    },
    async approve(url, c) {
      await ctx.tokenStore?.save(url, c);
    },
    async reject(url, c) {
      await ctx.tokenStore?.reject(url, c);
    },
  };
  const fallback: CredentialProvider = ctx.tokenStore
    ? {
        async get(url, attempt) {
          return (attempt === 0 ? await ctx.tokenStore!.get(url, attempt) : null) ?? promptProvider.get(url, attempt);
        },
        approve: promptProvider.approve,
        reject: promptProvider.reject,
      }
    : promptProvider;
  const credentials = gitCredentialProvider(fallback);

  const requireRepo = (): ConfigRepo => {
    if (!repo) throw new AppError('bad-input', 'no repository is open: clone one, open a local clone, or open the demo');
    return repo;
  };

  async function open(dir: string, demo = false): Promise<RepoInfo> {
    const next = await ConfigRepo.open(dir, { upstream: settings.read().upstream });
    const streams = await listStreams(next, settings.read().streams);
    if (streams.length === 0) {
      next.close();
      throw new AppError('bad-input', `${dir}: no branch holds a manifest-lock file; is this a clone of the config repo?`, { file: dir });
    }
    let remoteUrl: string | null = null;
    try {
      remoteUrl = ((await git.getConfig({ fs, gitdir: next.gitdir, path: `remote.${next.upstream}.url` })) as string) ?? null;
    } catch {
      remoteUrl = null;
    }
    repo?.close();
    repo = next;
    indexer = null;
    history = historyOf(next);
    info = {
      dir: next.location.dir,
      bare: next.location.bare,
      remoteUrl: remoteUrl ? stripUserInfo(remoteUrl) : null,
      streams: streams.map((s) => s.name),
      demo,
    };
    if (!demo) await settings.rememberRepo(next.location.dir);
    ctx.emit('repo:changed', info);
    indexInBackground(next, streams.map((s) => s.name));
    // Nothing is lost while the app was closed: queued pushes go, pushed drafts are watched.
    startQueue(next);
    return info;
  }

  /** Builds every stream's history index in a worker, so history opens warm. */
  /** The worker is the only builder: history queries wait for it (see HistoryOptions.build). */
  let indexer: BackgroundIndexer | null = null;
  function historyOf(r: ConfigRepo): HistoryIndex {
    if (!indexer) indexer = new BackgroundIndexer(r.location.dir, r.upstream, progress('index'));
    const own = indexer;
    return new HistoryIndex(r, { build: (ref) => own.build(ref) });
  }
  function indexInBackground(r: ConfigRepo, streams: string[]): void {
    const operationId = 'index';
    if (!indexer) indexer = new BackgroundIndexer(r.location.dir, r.upstream, progress(operationId));
    void indexer
      .index(streams)
      .then(() => ctx.emit('op:progress', { operationId, phase: 'History indexed', loaded: 1, total: 1, percent: 100 }))
      .catch(() => undefined);
  }

  function operation(operationId: string): AbortController {
    if (operations.has(operationId)) throw new AppError('bad-input', `operation ${operationId} is already running`);
    const ac = new AbortController();
    operations.set(operationId, ac);
    return ac;
  }

  const progress = (operationId: string) => (p: { phase: string; loaded: number; total: number }) =>
    ctx.emit('op:progress', {
      operationId,
      phase: p.phase,
      loaded: p.loaded,
      total: p.total,
      percent: p.total > 0 ? Math.min(100, Math.round((p.loaded / p.total) * 100)) : null,
    });

  const handlers: ApiHandlers = {
    'app:info': async () => ({ version, host: ctx.host, platform: process.platform, dataDir }),
    'repo:current': async () => info,
    'repo:recent': async () => settings.read().recent.filter((r) => fs.existsSync(r.dir)),
    'repo:open': async ({ dir }) => open(dir),
    'repo:close': async () => {
      queue?.stop();
      queue = null;
      repo?.close();
      repo = null;
      history = null;
      info = null;
      ctx.emit('repo:changed', null);
    },
    'repo:clone': async ({ url, dir, operationId }) => {
      const dest = dir ?? path.join(dataDir, 'repos', cloneFolderName(url));
      const ac = operation(operationId);
      try {
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        await cloneRepo(url, dest, { signal: ac.signal, onProgress: progress(operationId), credentials });
      } finally {
        operations.delete(operationId);
      }
      return open(dest);
    },
    'repo:demo': async () => {
      const dest = path.join(dataDir, 'demo');
      if (!fs.existsSync(path.join(dest, '.git'))) {
        const tmp = `${dest}.tmp-${process.pid}`;
        fs.rmSync(tmp, { recursive: true, force: true });
        await createDemoRepo(tmp);
        fs.rmSync(dest, { recursive: true, force: true });
        fs.renameSync(tmp, dest);
      }
      return open(dest, true);
    },
    'repo:fetch': async ({ operationId }) => {
      const r = requireRepo();
      const ac = operation(operationId);
      try {
        const updated = await fetchAll(r.gitdir, {
          signal: ac.signal,
          onProgress: progress(operationId),
          credentials,
          remote: r.upstream,
        });
        await r.refresh();
        history = historyOf(r);
        // Only the new commits are read: the worker extends each stream's index.
        indexInBackground(r, (await listStreams(r, settings.read().streams)).map((s) => s.name));
        return { updated };
      } finally {
        operations.delete(operationId);
      }
    },
    'op:cancel': async ({ operationId }) => {
      operations.get(operationId)?.abort();
    },
    'credentials:answer': async ({ requestId, username, password }) => {
      const resolve = pendingAnswers.get(requestId);
      if (!resolve) throw new AppError('bad-input', `no credential request ${requestId} is waiting`);
      pendingAnswers.delete(requestId);
      resolve(username !== null && password !== null ? { username, password } : null);
    },
    'streams:list': async () => streamsOverview(requireRepo(), settings.read().streams),
    'refs:list': async () => {
      const r = requireRepo();
      const streams = new Set((await listStreams(r, settings.read().streams)).map((s) => s.name));
      const out: RefChoice[] = (await r.branches()).map((b) => ({
        name: b.name,
        kind: streams.has(b.name) ? 'stream' : 'branch',
        oid: b.oid,
      }));
      for (const tag of await git.listTags({ fs, gitdir: r.gitdir })) {
        out.push({ name: tag, kind: 'tag', oid: await git.resolveRef({ fs, gitdir: r.gitdir, ref: `refs/tags/${tag}` }) });
      }
      return out;
    },
    'diff:refs': async (req) => diffRefs(requireRepo(), req),
    'history:package': async (req) => {
      const r = requireRepo();
      const arch = req.arch ?? 'x86_64';
      const all = await listStreams(r, settings.read().streams);
      const streams = (req.streams ?? all.map((s) => s.name)).filter((n) => all.some((s) => s.name === n));
      const index = history ?? (history = historyOf(r));
      // A source package name lists all of its binaries together.
      let source: string | null = null;
      let binaries: string[] = [req.name];
      for (const stream of streams) {
        const src = await index.sourceHistory(stream, arch, req.name);
        if (src.binaries.length > 1 || (src.binaries.length === 1 && src.binaries[0] !== req.name)) {
          source = req.name;
          binaries = src.binaries;
          break;
        }
        const of = await index.sourceOf(stream, arch, req.name);
        if (of) {
          source = of;
          break;
        }
      }
      const lanes: HistoryResult['lanes'] = [];
      for (const stream of streams) {
        if (source === req.name) {
          const src = await index.sourceHistory(stream, arch, req.name);
          for (const b of src.binaries) if (!binaries.includes(b)) binaries.push(b);
          lanes.push({ stream, entries: src.entries });
        } else {
          lanes.push({ stream, entries: (await index.packageHistory(stream, arch, req.name)).map((e) => ({ ...e, name: req.name })) });
        }
      }
      return { name: req.name, arch, binaries: binaries.sort(), source, lanes };
    },
    'versions:list': async ({ name }) => {
      const r = requireRepo();
      const index = history ?? (history = historyOf(r));
      const seen = new Map<string, Set<string>>();
      const current = new Map<string, Set<string>>();
      for (const s of await listStreams(r, settings.read().streams)) {
        const snap = r.snapshot(s.oid);
        const arch = snap.lockfiles.x86_64 ? 'x86_64' : Object.keys(snap.lockfiles)[0];
        if (!arch) continue;
        const src = await index.sourceHistory(s.name, arch, name);
        // For a source package, its same-named binary (or its first) tells the version.
        const pick = src.binaries.includes(name) ? name : src.binaries[0];
        const entries = src.binaries.length ? src.entries.filter((e) => e.name === pick) : await index.packageHistory(s.name, arch, name);
        for (const e of entries) if (e.evr) (seen.get(e.evr) ?? seen.set(e.evr, new Set()).get(e.evr)!).add(s.name);
        const head = entries[0];
        if (head?.evr) (current.get(head.evr) ?? current.set(head.evr, new Set()).get(head.evr)!).add(s.name);
      }
      const out: VersionChoice[] = [...seen].map(([evr, streams]) => ({ evr, streams: [...streams], current: [...(current.get(evr) ?? [])] }));
      return out.sort((a, b) => compareEvr(b.evr, a.evr));
    },
    'drafts:list': async () => new DraftStore(requireRepo()).list(),
    'drafts:preview': async (req) => {
      const p = await new DraftStore(requireRepo()).prepare(req);
      return { stream: p.stream, base: p.base, message: p.message, packages: p.plan.packages, perArch: p.plan.perArch, notes: p.plan.notes, findings: p.findings, texts: p.texts, effect: p.effect };
    },
    'drafts:save': async (req) => {
      const store = new DraftStore(requireRepo());
      const p = await store.prepare(req);
      return store.commit(p, { type: req.action, branch: req.branch });
    },
    'drafts:discard': async ({ branch }) => new DraftStore(requireRepo()).discard(branch),
    'drafts:rebase': async ({ branch }) => new DraftStore(requireRepo()).rebase(branch),
    'drafts:saveRaw': async (req) => new DraftStore(requireRepo()).saveRaw(req),
    'graduation:check': async ({ stream, offline }) => {
      const r = await graduationReport(requireRepo(), stream, { urls: settings.read().graduationRepos, offline });
      return { rows: r.rows, online: r.online, error: r.error };
    },
    'graduation:draft': async ({ stream }) => {
      const r = requireRepo();
      return draftGraduation(r, await graduationReport(r, stream, { urls: settings.read().graduationRepos, offline: true }));
    },
    'drafts:push': async ({ branch, remoteBranch }) => {
      if (remoteBranch !== undefined && !isValidBranchName(remoteBranch)) {
        throw new AppError('bad-input', `"${remoteBranch}" is not a valid branch name`, { ref: remoteBranch });
      }
      await (queue ?? startQueue(requireRepo())).enqueue(branch, remoteBranch);
    },
    'drafts:info': async ({ branch }) => {
      const r = requireRepo();
      const d = await new DraftStore(r).get(branch);
      const before = r.lockFileOids(d.base);
      const after = r.lockFileOids(d.head);
      const diffs = d.files.map((file) => ({
        file,
        diff: unifiedDiff(file, before[file] ? r.store.read(before[file]).data.toString('utf8') : null, after[file] ? r.store.read(after[file]).data.toString('utf8') : null),
      }));
      const name = settings.read().pushRemote || r.upstream;
      let url: string | null = null;
      try {
        url = ((await git.getConfig({ fs, gitdir: r.gitdir, path: `remote.${name}.url` })) as string | undefined) ?? null;
      } catch {
        url = null;
      }
      return { draft: d, diffs, pushRemote: { name, url: url ? stripUserInfo(url) : null } };
    },
    'queue:cancel': async ({ branch }) => {
      if (!queue) throw new AppError('bad-input', 'nothing is queued');
      await queue.cancel(branch);
    },
    'identity:get': async () => {
      try {
        return resolveIdentity(requireRepo().gitdir).author;
      } catch {
        return null;
      }
    },
    'identity:set': async ({ name, email }) => {
      if (!name.trim() || !/^[^\s@<>]+@[^\s@<>]+$/.test(email.trim())) {
        throw new AppError('bad-input', 'give a name and an email address like you@example.org');
      }
      // The clone's own git config: the CLI and git itself then use the same identity.
      const gitdir = requireRepo().gitdir;
      await git.setConfig({ fs: atomicFs, gitdir, path: 'user.name', value: name.trim() });
      await git.setConfig({ fs: atomicFs, gitdir, path: 'user.email', value: email.trim() });
    },
    'files:read': async ({ ref }) => {
      const r = requireRepo();
      const { oid } = await r.resolve(ref);
      const files: Record<string, string> = {};
      for (const [name, blob] of Object.entries(r.lockFileOids(oid))) files[name] = r.store.read(blob).data.toString('utf8');
      return { commit: oid, files };
    },
    'diff:markdown': async (req) => {
      const r = await diffRefs(requireRepo(), req);
      return diffToMarkdown(r.arches, {
        from: { label: r.from.input, commit: r.from.commit, date: r.from.date },
        to: { label: r.to.input, commit: r.to.commit, date: r.to.date },
        overrides: r.overrides,
      });
    },
  };

  return {
    handlers,
    async start() {
      if (ctx.initialRepo) await open(ctx.initialRepo);
    },
    dispose() {
      queue?.stop();
      for (const ac of operations.values()) ac.abort();
      for (const resolve of pendingAnswers.values()) resolve(null);
      repo?.close();
      repo = null;
    },
  };
}

