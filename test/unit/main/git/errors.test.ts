/**
 * main/git/errors.ts, the one door from git failures to AppErrors: local isomorphic-git errors,
 * and transfers (clone, fetch, push) with their secrets scrubbed; decisions read codes, never
 * message text unless the error has no code at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { gitCall, gitFailure, networkKind, newTransferState, redact } from '../../../../main/git/errors';

const err = (code: string | undefined, message = 'boom', extra: Record<string, unknown> = {}) => Object.assign(new Error(message), code ? { code } : {}, extra);
const URL = 'https://bob:s3cret@git.example/config.git';

describe('git errors: local operations', () => {
  it('maps isomorphic-git codes and Node file codes to our codes, with the place', () => {
    expect(gitFailure(err('NotFoundError', 'x', { data: { what: 'refs/heads/a' } }), { what: 'read ref', place: { ref: 'a' } })).toMatchObject({ code: 'not-found', message: 'read ref: refs/heads/a not found', data: { ref: 'a' } });
    expect(gitFailure(err('AlreadyExistsError', 'x', { data: { where: 'refs/heads/a' } }), { what: 'write ref' }).code).toBe('conflict');
    expect(gitFailure(err('InvalidRefNameError', 'x', { data: { ref: 'a..b' } }), { what: 'write ref' }).message).toBe('write ref: "a..b" is not a valid ref name');
    expect(gitFailure(err('ParseError', 'bad tree'), { what: 'read tree' })).toMatchObject({ code: 'repo', message: 'read tree: the repository looks damaged (bad tree); run git fsck' });
    expect(gitFailure(err('ENOSPC', 'x', { path: '/r/.git/objects/ab' }), { what: 'write blob' })).toMatchObject({ code: 'io', data: { file: '/r/.git/objects/ab' } });
    expect(gitFailure(err(undefined, 'odd'), { what: 'read' })).toMatchObject({ code: 'internal', message: 'read: odd' });
    const mine = new AppError('stale', 'moved');
    expect(gitFailure(mine, { what: 'x' })).toBe(mine);
  });

  it('gitCall maps what the call throws', async () => {
    await expect(gitCall('resolve HEAD', () => Promise.reject(err('NotFoundError')))).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('git errors: transfers', () => {
  const clone = () => newTransferState('clone of', URL);
  const push = () => newTransferState('push to', URL, undefined, 'write');

  it('says a full disk in a transfer in the one wording, naming the file the write said (also under a cause)', () => {
    const full = err('ENOSPC', 'ENOSPC: no space left on device, write', { path: '/r/.git/objects/pack/.pack-1.pack.tmp-9-0' });
    expect(gitFailure(full, { transfer: clone() })).toMatchObject({ code: 'io', message: 'clone of https://git.example/config.git failed: disk full at /r/.git/objects/pack/.pack-1.pack.tmp-9-0; free some space and retry', data: { url: 'https://git.example/config.git', file: '/r/.git/objects/pack/.pack-1.pack.tmp-9-0' } });
    expect(gitFailure(Object.assign(new Error('wrapped'), { cause: full }), { transfer: clone() }).message).toContain('disk full at /r/.git/objects/pack/');
    expect(gitFailure(err('EACCES', 'x', { path: '/r/.git/refs' }), { transfer: push() }).message).toBe('push to https://git.example/config.git failed: cannot write /r/.git/refs (EACCES); check its permissions and retry');
  });

  it('maps HTTP statuses by code, saying what the credentials must allow, with no user-info in the URL', () => {
    const e401 = err('HttpError', 'HTTP Error: 401', { data: { statusCode: 401 } });
    expect(gitFailure(e401, { transfer: clone() })).toMatchObject({ code: 'auth', data: { url: 'https://git.example/config.git', status: 401 } });
    expect(gitFailure(e401, { transfer: clone() }).message).toContain('that it may read this repository');
    expect(gitFailure(e401, { transfer: push() }).message).toMatch(/^push to https:\/\/git\.example\/config\.git: .*that it may push to this repository/);
    expect(gitFailure(err('HttpError', 'x', { data: { statusCode: 404 } }), { transfer: push() }).code).toBe('bad-input');
    expect(gitFailure(err('HttpError', 'x', { data: { statusCode: 503 } }), { transfer: push() }).code).toBe('network');
  });

  it('says refused credentials apart from none given, for a push as for a clone', () => {
    const st = push();
    expect(gitFailure(err('UserCanceledError'), { transfer: st }).message).toContain('none were given');
    st.rejected = true;
    expect(gitFailure(err('UserCanceledError'), { transfer: st })).toMatchObject({ code: 'auth', message: expect.stringContaining('refused the credentials') });
  });

  it('reads network failures from the cause chain, and message text only from an error with no code', () => {
    expect(networkKind(err('X', 'fetch failed', { cause: err('ECONNRESET') }))).toBe('reset');
    expect(networkKind(err('ENOTFOUND'))).toBe('dns');
    expect(networkKind(err(undefined, 'socket hang up'))).toBe('reset');
    // A code that says something else wins over the text.
    expect(networkKind(err('ERR_SOMETHING', 'socket hang up'))).toBeNull();
    expect(gitFailure(err('ETIMEDOUT'), { transfer: clone() })).toMatchObject({ code: 'network', data: { reason: 'timeout' } });
  });

  it('keeps what it cannot name retryable for a push (the queue retries network) and internal for a clone', () => {
    expect(gitFailure(err('EWHAT', 'odd'), { transfer: push() })).toMatchObject({ code: 'network', message: expect.stringContaining('EWHAT: odd') });
    expect(gitFailure(err('EWHAT', 'odd'), { transfer: clone() }).code).toBe('internal');
  });

  it('says cancelled when the signal fired, whatever was thrown', () => {
    const ac = new AbortController();
    ac.abort();
    expect(gitFailure(err('ECONNRESET'), { transfer: newTransferState('fetch from', URL, ac.signal) }).code).toBe('cancelled');
  });

  it('scrubs the secrets handed to the server from every message, ours included', () => {
    const st = clone();
    st.secrets.add('tok123');
    expect(gitFailure(err('EWHAT', 'server said tok123'), { transfer: st }).message).not.toContain('tok123');
    expect(gitFailure(new AppError('conflict', 'at https://u:tok123@h/x'), { transfer: st }).message).toBe('at https://h/x');
    expect(redact('a tok123 b', ['tok123'])).toBe('a *** b');
  });

  it("is the one door: isomorphic-git's error codes are read in main/git/errors.ts only (clone's missing-HEAD check aside)", () => {
    const root = path.resolve(__dirname, '../../../../main');
    const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join('main', f));
    const readers = files.filter((f) => /'(UserCanceledError|HttpError|SmartHttpError|AlreadyExistsError|InvalidRefNameError|ParseError|NotFoundError)'/.test(fs.readFileSync(path.join(root, '..', f), 'utf8')));
    expect(readers.sort()).toEqual(['main/git/errors.ts', 'main/git/transport/clone.ts']);
  });
});
