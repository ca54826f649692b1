import { describe, expect, it } from 'vitest';
import { allowedOps, assertAllowed, describeState, DRAFT_STATE_KINDS, LIFECYCLE, parseState, refusal, transition, type DraftEvent, type DraftState } from '../../../../shared/drafts/lifecycle';
import { AppError } from '../../../../shared/errors';

const fresh = { stale: false, needsPush: false };
const state = (kind: DraftState['kind']): DraftState =>
  kind === 'failed' ? { kind, checks: ['ci'] } : kind === 'error' ? { kind, code: 'network', message: 'down' } : ({ kind } as DraftState);

describe('draft lifecycle', () => {
  it('has a rule for every state and lets discard happen in every one', () => {
    for (const k of DRAFT_STATE_KINDS) {
      expect(LIFECYCLE[k]).toBeDefined();
      expect(allowedOps(state(k), fresh)).toContain('discard');
    }
  });

  it('walks the happy path draft → queued → pushing → pushed → checks-pending → passed', () => {
    const events: DraftEvent[] = [{ type: 'enqueue' }, { type: 'start' }, { type: 'pushed' }, { type: 'watch' }, { type: 'checks', verdict: 'passed' }];
    let s: DraftState = { kind: 'draft' };
    const seen: string[] = [s.kind];
    for (const e of events) seen.push((s = transition(s, e)).kind);
    expect(seen).toEqual(['draft', 'queued', 'pushing', 'pushed', 'checks-pending', 'passed']);
  });

  it('goes back to queued with the retry time and reason when offline', () => {
    const s = transition({ kind: 'pushing' }, { type: 'retry', retryAt: '2026-11-28T12:00:00.000Z', reason: 'offline' });
    expect(s).toEqual({ kind: 'queued', retryAt: '2026-11-28T12:00:00.000Z', reason: 'offline' });
    expect(describeState(s)).toBe('queued (retry at 2026-11-28T12:00:00.000Z: offline)');
    expect(transition(s, { type: 'start' }).kind).toBe('pushing');
  });

  it('refuses an event a state cannot take, as a clear error', () => {
    expect(() => transition({ kind: 'draft' }, { type: 'pushed' })).toThrow(/a draft that is draft cannot take "pushed"/);
    expect(() => transition({ kind: 'passed' }, { type: 'cancel' })).toThrow(AppError);
  });

  it('cancels only what the queue holds', () => {
    for (const k of DRAFT_STATE_KINDS) {
      const inQueue = k === 'queued' || k === 'pushing';
      expect(refusal(state(k), fresh, 'cancel') === null, k).toBe(inQueue);
    }
  });

  it('never pushes a stale draft, and pushes a pushed one again only after a rebase', () => {
    expect(refusal({ kind: 'draft' }, { stale: true, needsPush: false }, 'push')).toMatch(/stale/);
    expect(refusal({ kind: 'pushed' }, fresh, 'push')).toMatch(/pushed already/);
    expect(refusal({ kind: 'passed' }, { stale: false, needsPush: true }, 'push')).toBeNull();
    expect(() => assertAllowed('b', { kind: 'queued' }, fresh, 'rebase')).toThrow(/cancel the push first/);
  });

  it('returns a rebased draft to draft, whatever it was', () => {
    for (const k of ['pushed', 'checks-pending', 'passed', 'failed', 'error', 'cancelled', 'draft'] as const) expect(transition(state(k), { type: 'rebased' })).toEqual({ kind: 'draft' });
    expect(() => transition({ kind: 'pushing' }, { type: 'rebased' })).toThrow();
  });

  it('reads the plain-string states earlier versions stored', () => {
    expect(parseState('checks pending')).toEqual({ kind: 'checks-pending' });
    expect(parseState('error: offline')).toEqual({ kind: 'error', code: 'internal', message: 'offline' });
    expect(parseState('failed: a, b')).toEqual({ kind: 'failed', checks: ['a', 'b'] });
    expect(parseState('queued')).toEqual({ kind: 'queued' });
    expect(parseState({ kind: 'nonsense' })).toEqual({ kind: 'draft' });
    expect(parseState(undefined)).toEqual({ kind: 'draft' });
  });
});
