/**
 * A token typed into the UI is kept only when the user ticks "remember", and then only in the
 * host's store (the OS store in Electron, git's credential helper in the browser host); without
 * the tick it lives for the session and nothing is written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../../main/app/session';
import type { Credentials } from '../../../main/git/transport/credentials';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

describe('a token from the prompt', () => {
  const saved: [string, Credentials][] = [];
  const home = makeTempDir();
  const env = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, GIT_CONFIG_NOSYSTEM: process.env.GIT_CONFIG_NOSYSTEM };
  let session: Session;
  let asked: { requestId: string }[];

  beforeAll(() => {
    // No helper of the machine's answers: the prompt is asked.
    Object.assign(process.env, { HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1' });
    asked = [];
    session = new Session({
      host: 'browser',
      dataDir: makeTempDir(),
      emit: ((name: string, payload: { requestId: string }) => {
        if (name === 'credentials:request') asked.push(payload);
      }) as never,
      tokenStore: { get: async () => null, approve: async () => undefined, reject: async () => undefined, save: async (url, c) => void saved.push([url, c]) },
    });
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    cleanupTempDirs();
  });

  const answer = async (url: string, c: Credentials, remember: boolean) => {
    const got = session.credentials.get(url, 0);
    await expect.poll(() => asked.length).toBeGreaterThan(0);
    session.answerCredentials(asked.shift()!.requestId, c, remember);
    return (await got)!;
  };

  it('is not stored when "remember" is off, and stored in the host\'s store when it is on', async () => {
    const a = await answer('https://git.example.org/config.git', { username: 'ada', password: 'session-only' }, false);
    await session.credentials.approve('https://git.example.org/config.git', a);
    expect(saved).toEqual([]);
    const b = await answer('https://git.example.org/config.git', { username: 'ada', password: 'keep-me' }, true);
    await session.credentials.approve('https://git.example.org/config.git', b);
    expect(saved).toEqual([['https://git.example.org/config.git', { username: 'ada', password: 'keep-me' }]]);
    expect(fs.readdirSync(session.dataDir).filter((f) => /token/.test(f))).toEqual([]);
    expect(path.isAbsolute(session.dataDir)).toBe(true);
  });
});
