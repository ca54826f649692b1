/**
 * The push queue and CI watch. Every state change goes through the lifecycle table
 * (shared/drafts/lifecycle.ts) and is kept in the draft's record, so a restart loses nothing.
 * Pushes run with a concurrency limit; a network failure puts the push back in the queue with
 * the time of the next try (offline, it waits); checks are polled from the forge with
 * back-off. Cancel and discard work in every state, the wait before a retry included, and no
 * error of a background task ever escapes: it becomes the draft's `error` state, or a report.
 *
 * An ordered push (`enqueueInOrder`) pushes drafts one after another: each later draft is
 * queued with `after` (kept in its record, so a restart continues) and starts only once the
 * earlier draft's checks passed; a red check, a failed push, a cancel or a discard stops the
 * rest, each with the reason in its own record.
 */
import { AppError, toAppError } from '../../../shared/errors';
import { assertAllowed, transition, type DraftEvent, type DraftState } from '../../../shared/drafts/lifecycle';
import { parseForgeUrl } from '../../../shared/forge';
import { draftPullRequest } from './pull-request';
import { stripUserInfo } from '../../git/errors';
import { remoteUrl } from '../../git/config';
import type { CredentialProvider } from '../../git/transport/credentials';
import type { ConfigRepo } from '../review/config-repo';
import { DraftStore } from '../drafts/store';
import type { ForgeClient } from './forge-github';
import { pushDraft } from './push';

export interface QueueOptions {
  concurrency?: number;
  /** The push remote (a fork); default the upstream remote. */
  remote?: string;
  credentials?: CredentialProvider;
  /** The forge client for a remote URL (null: no API, the PR page is opened by hand). */
  forge?: (remoteUrl: string) => ForgeClient | null | Promise<ForgeClient | null>;
  /** First poll / retry delay and its cap, in ms. */
  backoffMs?: number;
  maxBackoffMs?: number;
  onChange?: (branch: string, state: DraftState) => void;
  /** A background failure that belongs to no draft (the host reports it; it never crashes). */
  onError?: (err: AppError) => void;
}

/** Resolves after `ms`, or at once when `signal` fires; `onWake` runs synchronously on either. */
function sleep(ms: number, signal?: AbortSignal, onWake?: () => void): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      onWake?.();
      return resolve();
    }
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      onWake?.();
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

const gone = (err: unknown) => err instanceof AppError && err.code === 'not-found';

export class PushQueue {
  private readonly store: DraftStore;
  private readonly waiting: string[] = [];
  /** Pushes under way, including those sleeping before a retry. */
  private readonly running = new Map<string, AbortController>();
  private readonly watching = new Map<string, AbortController>();
  private readonly tasks = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  /** Ordered pushes: a queued branch -> the draft whose checks must pass before it starts. */
  private readonly blocked = new Map<string, string>();
  /** Drafts let go of for a discard: a push waiting for one of them stops. */
  private readonly forgotten = new Set<string>();
  private releasing: Promise<void> = Promise.resolve();
  /** Wakes pushes sleeping before a retry (the network is back, or the user asked). */
  private wake = new AbortController();
  /** Push attempts under way right now, and pushes sleeping before a retry. */
  private attempts = 0;
  private sleeping = 0;

  constructor(
    private readonly repo: ConfigRepo,
    private readonly opts: QueueOptions = {},
  ) {
    this.store = new DraftStore(repo);
  }

  /** Moves a draft by one lifecycle event; false when the draft is gone (discarded meanwhile). */
  private async move(branch: string, event: DraftEvent): Promise<boolean> {
    let next: DraftState | null = null;
    try {
      await this.store.update(branch, (r) => {
        next = transition(r.state, event);
        return { ...r, state: next };
      });
    } catch (err) {
      if (gone(err)) return false;
      throw err;
    }
    this.opts.onChange?.(branch, next!);
    return true;
  }

  /** Queues a draft's push; refused (with the reason) when its state or facts do not allow it. */
  async enqueue(branch: string, remoteBranch?: string): Promise<void> {
    const d = await this.store.get(branch);
    assertAllowed(branch, d.state, d, 'push');
    if (this.waiting.includes(branch) || this.running.has(branch)) return;
    if (remoteBranch) await this.store.update(branch, (r) => ({ ...r, pushAs: remoteBranch }));
    await this.move(branch, { type: 'enqueue' });
    this.waiting.push(branch);
    this.pump();
  }

  /**
   * Queues drafts to push one after another: each waits for the previous one's checks to pass
   * (build order). Every draft is checked before any is queued: a refusal changes nothing.
   */
  async enqueueInOrder(branches: readonly string[]): Promise<void> {
    if (branches.length < 2) throw new AppError('bad-input', 'an ordered push takes two drafts or more', { field: 'branches' });
    const dup = branches.find((b, i) => branches.indexOf(b) !== i);
    if (dup) throw new AppError('bad-input', `${dup} is given twice`, { ref: dup });
    for (const b of branches) {
      const d = await this.store.get(b);
      assertAllowed(b, d.state, d, 'push');
      if (this.waiting.includes(b) || this.running.has(b)) throw new AppError('bad-input', `cannot push ${b} in order: it is in the push queue already`, { ref: b });
    }
    await this.assertChecksReadable(branches[0]);
    for (const [i, b] of branches.entries()) {
      const after = i > 0 ? branches[i - 1] : undefined;
      this.forgotten.delete(b);
      if (!(await this.move(b, { type: 'enqueue', after }))) continue;
      if (after) this.blocked.set(b, after);
      this.waiting.push(b);
    }
    this.pump();
  }

  /**
   * An ordered push waits for each draft's checks: when they cannot be read here (no forge API
   * for the upstream remote, or GitHub refuses to show them), it is refused before the first
   * push, rather than pushing one draft and cancelling the rest for a reason known at the start.
   * Offline the answer is unknown and the push goes on (it waits for the network anyway).
   */
  private async assertChecksReadable(first: string): Promise<void> {
    const url = await remoteUrl(this.repo.gitdir, this.repo.upstream);
    const repo = url ? parseForgeUrl(url) : null;
    const client = url ? await this.opts.forge?.(url) : null;
    const where = url ? stripUserInfo(url) : `the remote ${this.repo.upstream}`;
    if (!client || !repo) {
      throw new AppError('bad-input', `an ordered push waits for each draft's checks, and Lockstep cannot read the checks of ${where} (it reads GitHub's); push each draft on its own once the previous one's checks pass`, { ref: first });
    }
    const d = await this.store.get(first);
    try {
      await client.checks(repo, d.base);
    } catch (err) {
      const e = toAppError(err);
      if (e.code === 'network') return;
      throw new AppError('bad-input', `an ordered push waits for each draft's checks, and they cannot be read: ${e.message}; nothing was pushed`, { ref: first });
    }
  }

  /** Cancels a push that waits, runs, or sleeps before a retry. */
  async cancel(branch: string): Promise<void> {
    const i = this.waiting.indexOf(branch);
    if (i >= 0) {
      this.waiting.splice(i, 1);
      this.blocked.delete(branch);
      await this.move(branch, { type: 'cancel' });
      // Drafts pushed in order after this one stop too.
      this.scheduleRelease();
      return;
    }
    const run = this.running.get(branch);
    if (run) {
      // The push task sees the abort, stops (a push in flight is cut) and records `cancelled`.
      run.abort();
      return;
    }
    const d = await this.store.get(branch);
    assertAllowed(branch, d.state, d, 'cancel');
    // Queued in a record but not in this queue (another process died holding it).
    await this.move(branch, { type: 'cancel' });
    this.scheduleRelease();
  }

  /** Retries every push that waits for the network, now. */
  retryNow(): void {
    const w = this.wake;
    this.wake = new AbortController();
    w.abort();
  }

  /** True when nothing can move without an outside event: no attempt runs, nothing can start. */
  isQuiet(): boolean {
    const limit = this.opts.concurrency ?? 2;
    // Every running push sleeps (a woken one stops counting at once), and nothing waits for a slot.
    return this.attempts === 0 && this.sleeping === this.running.size && (this.ready() === 0 || this.running.size >= limit);
  }

  /** Lets go of a draft about to be discarded: nothing of it runs or is written afterwards. */
  forget(branch: string): void {
    const i = this.waiting.indexOf(branch);
    if (i >= 0) this.waiting.splice(i, 1);
    this.blocked.delete(branch);
    this.forgotten.add(branch);
    this.running.get(branch)?.abort();
    this.watching.get(branch)?.abort();
    this.scheduleRelease();
  }

  /** Queued pushes free to start (not waiting for an earlier draft's checks). */
  private ready(): number {
    return this.waiting.filter((b) => !this.blocked.has(b)).length;
  }

  /** After a restart: queued and interrupted pushes go again, pushed ones are watched again. */
  async reconcile(): Promise<void> {
    for (const d of await this.store.list()) {
      if (d.state.kind === 'queued' || d.state.kind === 'pushing') {
        if (!this.waiting.includes(d.branch) && !this.running.has(d.branch)) this.waiting.push(d.branch);
        if (d.state.kind === 'queued' && d.state.after) this.blocked.set(d.branch, d.state.after);
      } else if (d.state.kind === 'pushed' || d.state.kind === 'checks-pending') {
        this.track(this.watch(d.branch));
      }
    }
    this.pump();
    // An ordered push whose earlier draft finished while no queue ran goes on (or stops) now.
    this.scheduleRelease();
  }

  /** Resolves when nothing is queued, pushing or being watched (tests, shutdown). */
  async idle(): Promise<void> {
    // A stopped queue starts nothing more: what waits stays queued for the next start.
    while (this.tasks.size || (this.ready() && !this.stopping.signal.aborted)) {
      if (this.tasks.size === 0) await new Promise((r) => setTimeout(r, 10));
      else await Promise.all([...this.tasks]);
    }
  }

  stop(): void {
    this.stopping.abort();
    for (const c of this.running.values()) c.abort();
    for (const c of this.watching.values()) c.abort();
  }

  private track(p: Promise<void>): void {
    const safe = p.catch((err) => this.opts.onError?.(toAppError(err)));
    this.tasks.add(safe);
    void safe.finally(() => this.tasks.delete(safe));
  }

  private pump(): void {
    const limit = this.opts.concurrency ?? 2;
    for (let i = 0; !this.stopping.signal.aborted && this.running.size < limit && i < this.waiting.length; ) {
      const branch = this.waiting[i];
      if (this.blocked.has(branch)) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      const ac = new AbortController();
      this.running.set(branch, ac);
      this.track(
        this.push(branch, ac.signal).finally(() => {
          this.running.delete(branch);
          this.pump();
          this.scheduleRelease();
        }),
      );
    }
  }

  private async push(branch: string, signal: AbortSignal): Promise<void> {
    let delay = this.opts.backoffMs ?? 2000;
    for (;;) {
      if (this.stopping.signal.aborted) return;
      if (signal.aborted) {
        await this.move(branch, { type: 'cancel' });
        return;
      }
      this.attempts++;
      let retry: boolean;
      try {
        retry = await this.attempt(branch, signal, delay);
      } finally {
        this.attempts--;
      }
      if (!retry) return;
      // Offline or the server died: wait in the queue (or until retryNow) and try again.
      this.sleeping++;
      await sleep(delay, AbortSignal.any([signal, this.wake.signal, this.stopping.signal]), () => this.sleeping--);
      delay = Math.min(delay * 2, this.opts.maxBackoffMs ?? 300_000);
    }
  }

  /** One try; true when it should be tried again later (the network failed). */
  private async attempt(branch: string, signal: AbortSignal, delay: number): Promise<boolean> {
    if (!(await this.move(branch, { type: 'start' }))) return false;
    try {
      const r = await pushDraft(this.repo, branch, { credentials: this.opts.credentials, remote: this.opts.remote, signal, fromQueue: true });
      if (!(await this.move(branch, { type: 'pushed' }))) return false;
      // A re-push moved the branch of a PR that exists: no second PR.
      if (!r.updated) await this.openPullRequest(branch, r.remote, r.remoteBranch).catch((err) => this.opts.onError?.(toAppError(err)));
      this.track(this.watch(branch));
      return false;
    } catch (err) {
      if (this.stopping.signal.aborted) return false;
      if (signal.aborted) {
        await this.move(branch, { type: 'cancel' });
        return false;
      }
      const e = toAppError(err);
      if (gone(e)) return false;
      if (e.code !== 'network') {
        await this.move(branch, { type: 'fail', code: e.code, message: e.message.slice(0, 400) });
        return false;
      }
      const retryAt = new Date(Date.now() + delay).toISOString();
      return this.move(branch, { type: 'retry', retryAt, reason: e.message.slice(0, 200) });
    }
  }

  private async openPullRequest(branch: string, remote: string, remoteBranch: string): Promise<void> {
    const url = await remoteUrl(this.repo.gitdir, remote);
    const upstream = (await remoteUrl(this.repo.gitdir, this.repo.upstream)) ?? url;
    const client = url ? await this.opts.forge?.(url) : null;
    const base = upstream ? parseForgeUrl(upstream) : null;
    const head = url ? parseForgeUrl(url) : null;
    // Without a token the new-PR page recorded at the push is the way to open it.
    if (!client?.canCreatePullRequests || !base || !head) return;
    const d = await this.store.get(branch);
    const prUrl = await client.createPullRequest({ base, head, branch: remoteBranch, target: d.stream, ...draftPullRequest(this.repo, d) });
    await this.store.update(branch, (r) => ({ ...r, push: r.push ? { ...r.push, prUrl } : r.push }));
  }

  private async watch(branch: string): Promise<void> {
    if (this.watching.has(branch)) return;
    const ac = new AbortController();
    this.watching.set(branch, ac);
    try {
      const d = await this.store.get(branch);
      const url = d.push ? await remoteUrl(this.repo.gitdir, this.repo.upstream) : null;
      const client = url ? await this.opts.forge?.(url) : null;
      const repo = url ? parseForgeUrl(url) : null;
      if (!client || !repo || !d.push) return;
      let delay = this.opts.backoffMs ?? 10_000;
      if (d.state.kind === 'pushed' && !(await this.move(branch, { type: 'watch' }))) return;
      while (!ac.signal.aborted && !this.stopping.signal.aborted) {
        try {
          const c = await client.checks(repo, d.push.commit);
          if (c.verdict !== 'pending') {
            await this.move(branch, { type: 'checks', verdict: c.verdict, failing: c.failing });
            return;
          }
          // The rate limit is nearly spent (anonymous reads have 60 an hour): wait for its reset.
          if (c.retryAt && c.retryAt > Date.now()) await sleep(Math.min(c.retryAt - Date.now(), this.opts.maxBackoffMs ?? 300_000), ac.signal);
        } catch (err) {
          const e = toAppError(err);
          if (gone(e)) return;
          if (e.code !== 'network') {
            await this.move(branch, { type: 'fail', code: e.code, message: e.message.slice(0, 400) });
            return;
          }
          const retryAt = Number(e.data.retryAt ?? 0);
          if (retryAt > Date.now()) await sleep(Math.min(retryAt - Date.now(), this.opts.maxBackoffMs ?? 300_000), ac.signal);
        }
        await sleep(delay, ac.signal);
        delay = Math.min(delay * 2, this.opts.maxBackoffMs ?? 300_000);
      }
    } catch (err) {
      if (!gone(err)) throw err;
    } finally {
      this.watching.delete(branch);
      // Its verdict decides the drafts pushed in order after it.
      this.scheduleRelease();
    }
  }

  /** Re-decides the ordered pushes, one pass at a time (passes never overlap). */
  private scheduleRelease(): void {
    if (this.blocked.size === 0) return;
    const p = this.releasing.then(() => this.release());
    this.releasing = p.catch(() => undefined);
    this.track(p);
  }

  /** Starts each ordered push whose earlier draft passed; stops those whose earlier draft cannot pass. */
  private async release(): Promise<void> {
    for (let changed = true; changed && !this.stopping.signal.aborted; ) {
      changed = false;
      for (const [branch, after] of [...this.blocked]) {
        if (this.blocked.get(branch) !== after) continue;
        const verdict = await this.prerequisite(after);
        if (verdict === 'wait' || this.blocked.get(branch) !== after) continue;
        this.blocked.delete(branch);
        changed = true;
        if (verdict === 'go') {
          if (!(await this.move(branch, { type: 'release' }))) this.drop(branch);
        } else {
          this.drop(branch);
          await this.move(branch, { type: 'stop', reason: verdict.reason });
        }
      }
    }
    this.pump();
  }

  private drop(branch: string): void {
    const i = this.waiting.indexOf(branch);
    if (i >= 0) this.waiting.splice(i, 1);
  }

  /** Whether a draft pushed in order after `after` may go now, must wait, or stops (and why). */
  private async prerequisite(after: string): Promise<'wait' | 'go' | { reason: string }> {
    if (this.forgotten.has(after)) return { reason: `${after} was discarded, so this draft was not pushed` };
    if (this.waiting.includes(after) || this.running.has(after) || this.watching.has(after)) return 'wait';
    let d;
    try {
      d = await this.store.get(after);
    } catch (err) {
      if (gone(err)) return { reason: `${after} was discarded, so this draft was not pushed` };
      throw err;
    }
    const st = d.state;
    switch (st.kind) {
      case 'passed':
        return 'go';
      case 'failed':
        return { reason: `the checks of ${after} failed${st.checks.length ? ` (${st.checks.join(', ')})` : ''}, so this draft was not pushed` };
      case 'error':
        return { reason: `${after} did not push (${st.message}), so this draft was not pushed` };
      case 'cancelled':
        return { reason: `${after} was cancelled, so this draft was not pushed` };
      case 'pushed':
      case 'checks-pending':
        // Pushed, and no watch runs: this remote's checks cannot be read (no forge API or token).
        return { reason: `the checks of ${after} could not be read (see its state); push this draft once they pass` };
      case 'queued':
      case 'pushing':
        return 'wait';
      case 'draft':
        return { reason: `${after} left the push queue (rebased or edited), so this draft was not pushed` };
    }
  }
}
