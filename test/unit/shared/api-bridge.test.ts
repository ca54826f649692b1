import { describe, expect, it } from 'vitest';
import { resultOfAnswer } from '../../../shared/api/bridge';

describe('a browser-host answer that is not a 200', () => {
  it('reads a 400 as the call\'s own Result, naming the malformed field', () => {
    const body = JSON.stringify({ ok: false, error: { code: 'bad-input', message: 'drafts:save: "stream" must be a string', data: { field: 'stream', malformed: true } } });
    expect(resultOfAnswer(400, body)).toEqual({ ok: false, error: { code: 'bad-input', message: 'drafts:save: "stream" must be a string', data: { field: 'stream', malformed: true } } });
  });

  it('names the status for a plain-text refusal, and never passes a foreign code for ours', () => {
    expect(resultOfAnswer(400, 'the body must be JSON: {"req": ...}')).toEqual({
      ok: false,
      error: { code: 'internal', message: 'The Lockstep host answered 400: the body must be JSON: {"req": ...}', data: {} },
    });
    const foreign = resultOfAnswer(400, JSON.stringify({ ok: false, error: { code: 'NotFoundError', message: 'x', data: {} } }));
    expect(foreign.ok === false && foreign.error.code).toBe('internal');
    expect(resultOfAnswer(413, '').ok).toBe(false);
  });
});
