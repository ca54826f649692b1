import { describe, expect, it } from 'vitest';
import { signatureFor } from '../../../../main/git/objects/write';
import { AppError } from '../../../../shared/errors';

const ada = { name: 'Ada', email: 'ada@example.org' };
const now = new Date('2024-10-17T12:34:56Z');

describe('a commit signature', () => {
  it('is now, in the machine zone, when GIT_AUTHOR_DATE and GIT_COMMITTER_DATE are unset or empty', () => {
    for (const env of [{}, { GIT_AUTHOR_DATE: '' }]) {
      expect(signatureFor(ada, 'author', now, env)).toEqual({ ...ada, timestamp: 1729168496, timezoneOffset: now.getTimezoneOffset() });
    }
  });

  it("takes git's own form of the date variables, with or without @ and a zone", () => {
    expect(signatureFor(ada, 'author', now, { GIT_AUTHOR_DATE: '1700000000 +0200' })).toMatchObject({ timestamp: 1700000000, timezoneOffset: -120 });
    expect(signatureFor(ada, 'committer', now, { GIT_COMMITTER_DATE: '@1700000000 -0530' })).toMatchObject({ timestamp: 1700000000, timezoneOffset: 330 });
    expect(signatureFor(ada, 'committer', now, { GIT_COMMITTER_DATE: '1700000000' })).toMatchObject({ timestamp: 1700000000, timezoneOffset: 0 });
    // Each role reads its own variable.
    expect(signatureFor(ada, 'author', now, { GIT_COMMITTER_DATE: '1700000000 +0000' }).timestamp).toBe(1729168496);
  });

  it('takes ISO 8601 with a zone, Z, or none (the machine zone)', () => {
    expect(signatureFor(ada, 'author', now, { GIT_AUTHOR_DATE: '2024-10-17T12:00:00+02:00' })).toMatchObject({ timestamp: 1729159200, timezoneOffset: -120 });
    expect(signatureFor(ada, 'author', now, { GIT_AUTHOR_DATE: '2024-10-17 10:00:00Z' })).toMatchObject({ timestamp: 1729159200, timezoneOffset: 0 });
    const local = signatureFor(ada, 'author', now, { GIT_AUTHOR_DATE: '2024-10-17T10:00:00' });
    expect(local.timestamp).toBe(Math.floor(new Date('2024-10-17T10:00:00').getTime() / 1000));
  });

  it('refuses anything else as bad input naming the variable', () => {
    for (const bad of ['yesterday', '17/10/2024', '2024-13-45T00:00:00Z', '1700000000 +2']) {
      let err: unknown;
      try {
        signatureFor(ada, 'committer', now, { GIT_COMMITTER_DATE: bad });
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('bad-input');
      expect((err as AppError).message).toContain(`GIT_COMMITTER_DATE="${bad}"`);
    }
  });
});
