/** The view state kept in the URL hash (`#/diff?from=stable&to=testing-devel&arch=x86_64`), so a reload restores it. */

export type View = 'streams' | 'diff' | 'history' | 'drafts' | 'draft' | 'edit' | 'draft-info' | 'settings' | 'graduation' | 'advisories' | 'overrides';

const VIEWS: readonly View[] = ['streams', 'diff', 'history', 'drafts', 'draft', 'edit', 'draft-info', 'settings', 'graduation', 'advisories', 'overrides'];

export interface Route {
  view: View;
  params: Record<string, string>;
}

export type RouteParams = Record<string, string | undefined>;

/** Reads a route from a hash; anything unknown is the streams overview. */
export function parseHash(hash: string): Route {
  const [path, query] = hash.replace(/^#\/?/, '').split('?');
  const view = (VIEWS as readonly string[]).includes(path) ? (path as View) : 'streams';
  return { view, params: Object.fromEntries(new URLSearchParams(query ?? '')) };
}

/** Writes a route as a hash; empty parameters are left out. */
export function routeHash(view: View, params: RouteParams = {}): string {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return `#/${view}${q ? `?${q}` : ''}`;
}
