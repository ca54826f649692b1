/**
 * The history view's question and view state as URL parameters (`#/history?name=kernel&
 * stream=stable&arch=x86_64&from=2024-06-01&to=2024-09-30&reached=6.10`), so back/forward and a
 * reload restore it, and the last stream and query chosen, remembered for the next visit.
 */
import type { RouteParams } from '../store';

export interface HistoryQuery {
  name: string;
  arch: string;
  /** The stream whose rows are listed: the URL's, else the last one chosen, else the first lane. */
  stream: string | null;
  binary: string | null;
  /** The chart's zoom window (UTC days); null: the whole history. */
  from: string | null;
  to: string | null;
  /** The version the "reached" line looks for. */
  reached: string | null;
}

const LAST_STREAM = 'lockstep.history.stream';
const LAST_QUERY = 'lockstep.history.query';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // A browser that refuses storage only loses the memory of the last choice.
  }
}

/** Reads the query from the route's parameters; a malformed day is ignored rather than trusted. */
export function readHistoryQuery(params: Record<string, string>): HistoryQuery {
  const day = (v: string | undefined) => (v && DAY.test(v) && !Number.isNaN(Date.parse(v)) ? v : null);
  return {
    name: params.name ?? '',
    arch: params.arch ?? 'x86_64',
    stream: params.stream || stored(LAST_STREAM),
    binary: params.binary || null,
    from: day(params.from),
    to: day(params.to),
    reached: params.reached?.trim() || null,
  };
}

/** The route parameters of a query (empty ones are left out by routeHash). */
export function historyParams(q: Partial<HistoryQuery>): RouteParams {
  return {
    name: q.name || undefined,
    arch: q.arch && q.arch !== 'x86_64' ? q.arch : undefined,
    stream: q.stream ?? undefined,
    binary: q.binary ?? undefined,
    from: q.from ?? undefined,
    to: q.to ?? undefined,
    reached: q.reached ?? undefined,
  };
}

/** Remembers the stream a maintainer chose: the next question opens on it. */
export const rememberStream = (stream: string) => store(LAST_STREAM, stream);

/** Remembers the whole query, so the History tab brings it back after another screen. */
export const rememberQuery = (params: Record<string, string>) => store(LAST_QUERY, JSON.stringify(params));

/** The last query's parameters, for the History tab's link. */
export function lastQuery(): RouteParams | null {
  const text = stored(LAST_QUERY);
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object') return null;
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return null;
  }
}

/** A UTC day from epoch milliseconds, and back (the day's start). */
export const toDay = (t: number) => new Date(t).toISOString().slice(0, 10);
export const fromDay = (d: string) => Date.parse(`${d}T00:00:00Z`);
