import { describe, expect, it } from 'vitest';
import { toAppError } from '../../../shared/errors';

describe('toAppError and foreign codes', () => {
  it('never takes a library error with a code of its own for one of ours', () => {
    const isoGit = Object.assign(new Error('Could not find HEAD.'), { code: 'NotFoundError', data: { what: 'HEAD' } });
    const e = toAppError(isoGit);
    expect(e.code).toBe('internal');
    expect(toAppError({ code: 'conflict', message: 'x', data: {} }).code).toBe('conflict');
  });
});
