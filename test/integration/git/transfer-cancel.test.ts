/**
 * A cancel at the exact moment an answer is whole: the last chunk has arrived and its request
 * is about to hand its kept-alive socket back to the agent. CI once saw this as an uncaught
 * AbortError ("cancels on the first progress event", a clone whose pack came in one chunk).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { newTransferState } from '../../../main/git/errors';
import { transferHttp } from '../../../main/git/transport/transfer-http';

describe('a cancel on the last chunk of an answer', () => {
  let server: http.Server;
  let url: string;
  const uncaught: unknown[] = [];
  const record = (e: unknown) => uncaught.push(e);

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const body = Buffer.alloc(1000, 'a');
        res.writeHead(200, { 'content-type': 'application/x-git-upload-pack-result', 'content-length': body.length });
        res.end(body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/config.git/git-upload-pack`;
    process.on('uncaughtException', record);
  });
  afterAll(async () => {
    process.off('uncaughtException', record);
    await new Promise((r) => server.close(r));
  });

  it('rejects as cancelled and leaves no error behind on the freed socket', async () => {
    // One request per round on one client, so every round after the first reuses a socket.
    for (let round = 0; round < 20; round++) {
      const ac = new AbortController();
      const client = transferHttp(newTransferState('clone of', url, ac.signal), () => ac.abort());
      let caught: unknown;
      try {
        const res = await client.request({ url, method: 'POST', headers: {}, body: (async function* () {
          yield Buffer.from('0000');
        })() });
        for await (const _ of res.body ?? []) void _;
      } catch (err) {
        caught = err;
      } finally {
        client.close();
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).code).toBe('cancelled');
      // The stray error, when there is one, is emitted a tick or two later.
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      expect(uncaught).toEqual([]);
    }
  });
});
