/**
 * A draft's life from first save to merged PR, as one table (SPEC §2.11). The push queue, the
 * CLI and the UI all ask this module what a state means and which operation it allows; none
 * of them keeps a rule of its own.
 *
 *   draft ─push→ queued ─start→ pushing ─pushed→ pushed ─watch→ checks-pending ─→ passed | failed
 *                  ↑  └cancel→ cancelled   │ └offline→ queued (retry at …)
 *                  └──────────────────────────── push again (after a rebase: needs_push)
 *   any state ─error→ error(code)   any state ─rebase→ draft (the push record stays)
 *
 * Besides the state a draft has three facts: `stale` (its base is not the stream head),
 * `needs_push` (it was pushed, and its head is no longer the pushed commit) and `edited` (its
 * branch no longer holds the commit Lockstep wrote: amended, reset or moved by hand). An edited
 * draft is shown as `edited` and allows only adopt and discard: what would be pushed is not
 * what Lockstep wrote or the user previewed.
 */
import { AppError, type ErrorCode } from '../errors';

export type DraftState =
  | { readonly kind: 'draft' }
  | {
      readonly kind: 'queued';
      /** Set while waiting to retry after a network failure: when, and why. */
      readonly retryAt?: string;
      readonly reason?: string;
      /** An ordered push: the draft whose checks must pass before this one is pushed. */
      readonly after?: string;
    }
  | { readonly kind: 'pushing' }
  | { readonly kind: 'pushed' }
  | { readonly kind: 'checks-pending' }
  | { readonly kind: 'passed' }
  | { readonly kind: 'failed'; readonly checks: readonly string[] }
  /** `reason` when the queue stopped it (an ordered push whose earlier draft did not pass). */
  | { readonly kind: 'cancelled'; readonly reason?: string }
  | { readonly kind: 'error'; readonly code: ErrorCode; readonly message: string };

export type DraftStateKind = DraftState['kind'];

export const DRAFT_STATE_KINDS: readonly DraftStateKind[] = ['draft', 'queued', 'pushing', 'pushed', 'checks-pending', 'passed', 'failed', 'cancelled', 'error'];

/** What a user (or the queue) can ask of a draft. */
export type DraftOp = 'push' | 'cancel' | 'rebase' | 'discard' | 'edit' | 'adopt';

export interface DraftFacts {
  stale: boolean;
  needsPush: boolean;
  /** Its branch holds another commit than the one Lockstep wrote (absent: false). */
  edited?: boolean;
}

interface StateRule {
  /** Human label, for the UI and the CLI's table. */
  label: string;
  /** The queue holds it (waiting or running). */
  inQueue: boolean;
  /** The push went out and the PR exists (or its page was offered). */
  pushed: boolean;
  /** Operations allowed in this state (facts may forbid them further, see `allowed`). */
  ops: readonly DraftOp[];
}

/** The table. */
export const LIFECYCLE: Readonly<Record<DraftStateKind, StateRule>> = {
  draft: { label: 'draft', inQueue: false, pushed: false, ops: ['push', 'rebase', 'discard', 'edit'] },
  queued: { label: 'queued', inQueue: true, pushed: false, ops: ['cancel', 'discard'] },
  pushing: { label: 'pushing', inQueue: true, pushed: false, ops: ['cancel', 'discard'] },
  pushed: { label: 'pushed', inQueue: false, pushed: true, ops: ['push', 'rebase', 'discard'] },
  'checks-pending': { label: 'checks pending', inQueue: false, pushed: true, ops: ['push', 'rebase', 'discard'] },
  passed: { label: 'checks passed', inQueue: false, pushed: true, ops: ['push', 'rebase', 'discard'] },
  failed: { label: 'checks failed', inQueue: false, pushed: true, ops: ['push', 'rebase', 'discard'] },
  cancelled: { label: 'cancelled', inQueue: false, pushed: false, ops: ['push', 'rebase', 'discard', 'edit'] },
  error: { label: 'error', inQueue: false, pushed: false, ops: ['push', 'rebase', 'discard', 'edit'] },
};

/** Why `op` is not allowed now, or null when it is. */
export function refusal(state: DraftState, facts: DraftFacts, op: DraftOp): string | null {
  if (op === 'adopt') return facts.edited ? null : 'its branch holds the commit Lockstep wrote: there is nothing to adopt';
  if (facts.edited && op !== 'discard') return 'its branch was changed outside Lockstep (amended, reset or moved by hand): adopt that commit as the draft, or discard it';
  const rule = LIFECYCLE[state.kind];
  if (!rule.ops.includes(op)) {
    if (rule.inQueue && (op === 'rebase' || op === 'push' || op === 'edit')) return `its push is ${rule.label}: cancel the push first`;
    if (op === 'cancel') return `it is ${rule.label}, not waiting in the push queue`;
    return `it is ${rule.label}`;
  }
  if (op === 'push') {
    if (facts.stale) return 'it is stale: its stream moved since it was based; rebase it first (CI results on an old base are not trusted)';
    if (rule.pushed && !facts.needsPush) return 'it is pushed already and unchanged since';
  }
  if (op === 'rebase' && !facts.stale) return 'it is based on the stream head already';
  return null;
}

/** The operations allowed now, in the order the UI offers them. */
export function allowedOps(state: DraftState, facts: DraftFacts): DraftOp[] {
  return (['push', 'cancel', 'rebase', 'edit', 'adopt', 'discard'] as const).filter((op) => refusal(state, facts, op) === null);
}

/** Throws a clear bad-input error when `op` is not allowed. */
export function assertAllowed(branch: string, state: DraftState, facts: DraftFacts, op: DraftOp): void {
  const why = refusal(state, facts, op);
  if (why) throw new AppError('bad-input', `cannot ${op} ${branch}: ${why}`, { ref: branch, state: state.kind, op });
}

/** The events that move a draft between states, and where each may happen. */
export type DraftEvent =
  | { type: 'enqueue'; after?: string }
  /** An ordered push: the earlier draft's checks passed, this one may go. */
  | { type: 'release' }
  /** An ordered push: the earlier draft did not pass; this one is not pushed. */
  | { type: 'stop'; reason: string }
  | { type: 'start' }
  | { type: 'retry'; retryAt: string; reason: string }
  | { type: 'pushed' }
  | { type: 'watch' }
  | { type: 'checks'; verdict: 'passed' | 'failed'; failing?: readonly string[] }
  | { type: 'cancel' }
  | { type: 'fail'; code: ErrorCode; message: string }
  | { type: 'rebased' };

const FROM: Readonly<Record<DraftEvent['type'], readonly DraftStateKind[]>> = {
  enqueue: ['draft', 'pushed', 'checks-pending', 'passed', 'failed', 'cancelled', 'error'],
  start: ['queued'],
  release: ['queued'],
  stop: ['queued'],
  retry: ['pushing'],
  pushed: ['pushing'],
  watch: ['pushed', 'checks-pending'],
  checks: ['checks-pending'],
  cancel: ['queued', 'pushing'],
  fail: ['queued', 'pushing', 'pushed', 'checks-pending'],
  rebased: ['draft', 'pushed', 'checks-pending', 'passed', 'failed', 'cancelled', 'error'],
};

/** The next state, or an error naming the state and the event when it cannot happen. */
export function transition(state: DraftState, event: DraftEvent): DraftState {
  if (!FROM[event.type].includes(state.kind)) {
    throw new AppError('conflict', `a draft that is ${LIFECYCLE[state.kind].label} cannot take "${event.type}"`, { state: state.kind, event: event.type });
  }
  switch (event.type) {
    case 'enqueue':
      return event.after ? { kind: 'queued', after: event.after } : { kind: 'queued' };
    case 'release':
      return { kind: 'queued' };
    case 'stop':
      return { kind: 'cancelled', reason: event.reason };
    case 'start':
      return { kind: 'pushing' };
    case 'retry':
      return { kind: 'queued', retryAt: event.retryAt, reason: event.reason };
    case 'pushed':
      return { kind: 'pushed' };
    case 'watch':
      return { kind: 'checks-pending' };
    case 'checks':
      return event.verdict === 'passed' ? { kind: 'passed' } : { kind: 'failed', checks: [...(event.failing ?? [])] };
    case 'cancel':
      return { kind: 'cancelled' };
    case 'fail':
      return { kind: 'error', code: event.code, message: event.message };
    case 'rebased':
      return { kind: 'draft' };
  }
}

/** The state word lists show: the state, or `edited` when the branch was changed by hand. */
export function shownState(state: DraftState, facts: Pick<DraftFacts, 'edited'>): DraftStateKind | 'edited' {
  return facts.edited ? 'edited' : state.kind;
}

/** One line for lists: `queued (retry at 12:00: offline)`, `error: …`. */
export function describeState(state: DraftState): string {
  switch (state.kind) {
    case 'queued':
      if (state.after) return `queued (after ${state.after}: waits for its checks to pass)`;
      return state.retryAt ? `queued (retry at ${state.retryAt}${state.reason ? `: ${state.reason}` : ''})` : 'queued';
    case 'cancelled':
      return state.reason ? `cancelled: ${state.reason}` : 'cancelled';
    case 'failed':
      return state.checks.length ? `checks failed: ${state.checks.join(', ')}` : 'checks failed';
    case 'error':
      return `error: ${state.message}`;
    default:
      return LIFECYCLE[state.kind].label;
  }
}

/**
 * Reads a stored state, including the plain strings earlier versions wrote ('checks pending',
 * 'error: …', 'failed: a, b'), so drafts saved before survive an upgrade.
 */
export function parseState(raw: unknown): DraftState {
  if (raw && typeof raw === 'object' && typeof (raw as { kind?: unknown }).kind === 'string') {
    const kind = (raw as { kind: string }).kind;
    if ((DRAFT_STATE_KINDS as readonly string[]).includes(kind)) return raw as DraftState;
  }
  const s = typeof raw === 'string' ? raw : 'draft';
  if (s === 'checks pending') return { kind: 'checks-pending' };
  if (s.startsWith('error: ')) return { kind: 'error', code: 'internal', message: s.slice(7) };
  if (s.startsWith('failed')) return { kind: 'failed', checks: s.replace(/^failed:?\s*/, '').split(', ').filter(Boolean) };
  if ((DRAFT_STATE_KINDS as readonly string[]).includes(s)) return { kind: s } as DraftState;
  return { kind: 'draft' };
}
