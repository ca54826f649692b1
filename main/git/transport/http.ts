/** isomorphic-git's Node HTTP client with cancel: each request and body read checks the signal. */
import http from 'isomorphic-git/http/node';
import { AppError } from '../../../shared/errors';

type HttpClient = typeof http;

export function cancellableHttp(signal?: AbortSignal): HttpClient {
  if (!signal) return http;
  const check = () => {
    if (signal.aborted) throw new AppError('cancelled', 'cancelled');
  };
  return {
    async request(req) {
      check();
      const res = await http.request(req);
      check();
      const body = res.body;
      if (!body) return res;
      return {
        ...res,
        body: (async function* () {
          for await (const chunk of body) {
            check();
            yield chunk;
          }
        })(),
      };
    },
  };
}
