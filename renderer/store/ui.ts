/** UI state: the route (mirrored in the URL hash) and the host connection. */
import type { Connection } from '../api';
import { parseHash, routeHash, type Route, type RouteParams, type View } from './route';
import type { Slice } from './types';

export interface UiSlice {
  route: Route;
  connection: Connection;
  /** Goes to a view (a new history entry). */
  navigate(view: View, params?: RouteParams): void;
  /** Changes the current view's parameters in place (no history entry), e.g. a filter as it is typed. */
  replaceParams(params: RouteParams): void;
  setRoute(r: Route): void;
}

export const createUiSlice: Slice<UiSlice> = (set, get) => ({
  route: parseHash(location.hash),
  connection: 'connecting',
  navigate(view, params = {}) {
    const hash = routeHash(view, params);
    if (location.hash === hash) set({ route: parseHash(hash) });
    else location.hash = hash;
  },
  replaceParams(params) {
    const { view, params: current } = get().route;
    const hash = routeHash(view, { ...current, ...params });
    history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
    set({ route: parseHash(hash) });
  },
  setRoute(route) {
    set({ route });
  },
});
