/**
 * The store's tests run the real slices against a fake back end: `renderer/api` is replaced by
 * one whose `call` answers from per-channel handlers and records every call. The store is
 * imported fresh for each test (module state such as request sequence numbers included), with
 * the few browser globals it reads (location, history, navigator) stubbed.
 */
import { vi } from 'vitest';
import type { ApiChannel, ApiRequest, ApiResponse } from '../../../../shared/api/contract';
import { AppError, type ErrorCode } from '../../../../shared/errors';
import type { Store } from '../../../../renderer/store/types';
import { fake } from './mock-api';

type Handler<K extends ApiChannel> = (req: ApiRequest<K>) => ApiResponse<K> | Promise<ApiResponse<K>>;

export interface FakeBackend {
  calls: { channel: ApiChannel; req: unknown }[];
  on<K extends ApiChannel>(channel: K, handler: Handler<K>): void;
  call(channel: ApiChannel, req?: unknown): Promise<unknown>;
}

export function createFakeBackend(): FakeBackend {
  const handlers = new Map<ApiChannel, (req: unknown) => unknown>();
  const calls: FakeBackend['calls'] = [];
  return {
    calls,
    on(channel, handler) {
      handlers.set(channel, handler as (req: unknown) => unknown);
    },
    async call(channel, req) {
      calls.push({ channel, req });
      const h = handlers.get(channel);
      if (!h) throw new AppError('internal', `no fake handler for ${channel}`);
      return h(req);
    },
  };
}

/** An error as the back end sends it. */
export const failure = (code: ErrorCode, message: string) => new AppError(code, message);

/** A promise and its resolver, to answer calls out of order. */
export function deferred<T>(): { promise: Promise<T>; resolve(v: T): void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Stubs the browser globals the store reads, then imports a fresh store. */
export async function freshStore(): Promise<{ useStore: { getState(): Store; setState(p: Partial<Store>): void } }> {
  let hash = '';
  vi.stubGlobal('location', {
    get hash() {
      return hash;
    },
    set hash(h: string) {
      hash = h;
    },
    pathname: '/',
    search: '',
  });
  vi.stubGlobal('history', { state: null, replaceState: (_s: unknown, _t: string, url: string) => (hash = url.slice(url.indexOf('#'))) });
  vi.resetModules();
  return import('../../../../renderer/store');
}

export type StoreHandle = Awaited<ReturnType<typeof freshStore>>['useStore'];

/**
 * A new fake back end, made the one the mocked `renderer/api` answers from, and a fresh store
 * over it; `setup` registers answers before the store is imported.
 */
export async function freshStoreWithBackend(setup?: (backend: FakeBackend) => void): Promise<{ backend: FakeBackend; store: StoreHandle }> {
  const backend = createFakeBackend();
  fake.backend = backend;
  setup?.(backend);
  return { backend, store: (await freshStore()).useStore };
}

/** Lets pending promise callbacks run. */
export const settle = () => new Promise((r) => setTimeout(r, 0));
