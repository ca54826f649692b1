/**
 * The push queue and CI watch. Every pushed draft has a state, kept in its metadata so a
 * restart loses nothing: draft → queued → pushing → pushed → checks pending → passed | failed,
 * or cancelled / error: <reason>. Pushes run with a concurrency limit; a network failure puts
 * the push back in the queue to retry with back-off (offline, it waits); checks are polled
 * from the forge with back-off.
 */
import fs from 'node:fs';
import git from 'isomorphic-git';
import { AppError, toAppError } from '../../shared/errors';
import { parseForgeUrl } from '../../shared/forge';
import { pullRequestTitle } from '../../shared/drafts/rationale';
import type { ConfigRepo } from './config-repo';
import type { CredentialProvider } from './credentials';
import { DraftStore } from './drafts';
import type { ForgeClient } from './forge-github';
import { pushDraft } from './push';

export interface QueueOptions {
  concurrency?: number;
  /** The push remote (a fork); default the upstream remote. */
  remote?: string;
  credentials?: CredentialProvider;
  /** The forge client for a remote URL (null: no API, the PR page is opened by hand). */
  forge?: (remoteUrl: string) => ForgeClient | null;
  /** First poll / retry delay and its cap, in ms. */
  backoffMs?: number;
  maxBackoffMs?: number;
  onChange?: (branch: string, state: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class PushQueue {
  private readonly store: DraftStore;
  private readonly waiting: string[] = [];
  private readonly running = new Set<string>();
  private readonly watching = new Set<string>();
  private readonly tasks = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly repo: ConfigRepo,
    private readonly opts: QueueOptions = {},
  ) {
    this.store = new DraftStore(repo);
  }

  private async setState(branch: string, state: string): Promise<void> {
    await this.store.update(branch, (r) => ({ ...r, state }));
    this.opts.onChange?.(branch, state);
  }

  /** Queues a draft's push; a stale draft is refused before it is queued. */
  async enqueue(branch: string, remoteBranch?: string): Promise<void> {
    const d = await this.store.get(branch);
    if (d.stale) throw new AppError('stale', `${branch} is stale: rebase it before pushing`, { ref: branch });
    if (this.waiting.includes(branch) || this.running.has(branch)) return;
    if (remoteBranch) await this.store.update(branch, (r) => ({ ...r, pushAs: remoteBranch }));
    await this.setState(branch, 'queued');
    this.waiting.push(branch);
    this.pump();
  }

  /** Cancels a queued push; one already under way finishes. */
  async cancel(branch: string): Promise<void> {
    const i = this.waiting.indexOf(branch);
    if (i < 0) throw new AppError('bad-input', `${branch} is not waiting in the queue`, { ref: branch });
    this.waiting.splice(i, 1);
    await this.setState(branch, 'cancelled');
  }

  /** After a restart: queued and interrupted pushes go again, pushed ones are watched again. */
  async reconcile(): Promise<void> {
    for (const d of await this.store.list()) {
      if (d.state === 'queued' || d.state === 'pushing') {
        this.waiting.push(d.branch);
      } else if (d.state === 'pushed' || d.state === 'checks pending') {
        this.track(this.watch(d.branch));
      }
    }
    this.pump();
  }

  /** Resolves when nothing is queued, pushing or being watched (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.tasks.size || this.waiting.length) await Promise.all([...this.tasks]).catch(() => undefined);
  }

  stop(): void {
    this.stopped = true;
  }

  private track(p: Promise<void>): void {
    this.tasks.add(p);
    void p.finally(() => this.tasks.delete(p));
  }

  private pump(): void {
    const limit = this.opts.concurrency ?? 2;
    while (!this.stopped && this.running.size < limit && this.waiting.length) {
      const branch = this.waiting.shift()!;
      this.running.add(branch);
      this.track(
        this.push(branch).finally(() => {
          this.running.delete(branch);
          this.pump();
        }),
      );
    }
  }

  private async push(branch: string): Promise<void> {
    let delay = this.opts.backoffMs ?? 2000;
    for (;;) {
      if (this.stopped) return;
      await this.setState(branch, 'pushing');
      try {
        const rec = await this.store.get(branch);
        const r = await pushDraft(this.repo, branch, { credentials: this.opts.credentials, remote: this.opts.remote, remoteBranch: rec.pushAs });
        await this.setState(branch, 'pushed');
        await this.openPullRequest(branch, r.remote, r.remoteBranch);
        this.track(this.watch(branch));
        return;
      } catch (err) {
        const e = toAppError(err);
        if (e.code !== 'network') {
          await this.setState(branch, `error: ${e.message}`.slice(0, 400));
          return;
        }
        // Offline or the server died: wait in the queue and try again.
        await this.setState(branch, 'queued');
        await sleep(delay);
        delay = Math.min(delay * 2, this.opts.maxBackoffMs ?? 300_000);
      }
    }
  }

  private async remoteUrl(remote: string): Promise<string | null> {
    return ((await git.getConfig({ fs, gitdir: this.repo.gitdir, path: `remote.${remote}.url` })) as string | undefined) ?? null;
  }

  private async openPullRequest(branch: string, remote: string, remoteBranch: string): Promise<void> {
    const url = await this.remoteUrl(remote);
    const upstream = (await this.remoteUrl(this.repo.upstream)) ?? url;
    const client = url ? this.opts.forge?.(url) : null;
    const base = upstream ? parseForgeUrl(upstream) : null;
    const head = url ? parseForgeUrl(url) : null;
    if (!client || !base || !head) return;
    const d = await this.store.get(branch);
    const prUrl = await client.createPullRequest({
      base,
      head,
      branch: remoteBranch,
      target: d.stream,
      title: pullRequestTitle(d.stream, d.message),
      body: d.message.split('\n').slice(1).join('\n').trim(),
    });
    await this.store.update(branch, (r) => ({ ...r, push: r.push ? { ...r.push, prUrl } : r.push }));
  }

  private async watch(branch: string): Promise<void> {
    if (this.watching.has(branch)) return;
    this.watching.add(branch);
    try {
      const d = await this.store.get(branch);
      const url = d.push ? await this.remoteUrl(this.repo.upstream) : null;
      const client = url ? this.opts.forge?.(url) : null;
      const repo = url ? parseForgeUrl(url) : null;
      if (!client || !repo || !d.push) return;
      let delay = this.opts.backoffMs ?? 10_000;
      await this.setState(branch, 'checks pending');
      while (!this.stopped) {
        try {
          const c = await client.checks(repo, d.push.commit);
          if (c.verdict === 'passed') return this.setState(branch, 'passed');
          if (c.verdict === 'failed') return this.setState(branch, `failed: ${c.failing.join(', ')}`);
        } catch (err) {
          const e = toAppError(err);
          if (e.code !== 'network') return this.setState(branch, `error: ${e.message}`.slice(0, 400));
          const retryAt = Number(e.data.retryAt ?? 0);
          if (retryAt > Date.now()) await sleep(Math.min(retryAt - Date.now(), this.opts.maxBackoffMs ?? 300_000));
        }
        await sleep(delay);
        delay = Math.min(delay * 2, this.opts.maxBackoffMs ?? 300_000);
      }
    } finally {
      this.watching.delete(branch);
    }
  }
}
