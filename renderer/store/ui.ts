/** UI state: the route (mirrored in the URL hash), the credential prompt, the host connection. */
import type { Connection } from '../api';
import type { CredentialRequest } from '../../shared/api/contract';
import { parseHash, routeHash, type Route, type RouteParams, type View } from './route';
import type { Slice } from './types';

export interface UiSlice {
  route: Route;
  /** The back end waits for an answer to this; the secret typed in is never kept here. */
  credentialRequest: CredentialRequest | null;
  connection: Connection;
  /** Goes to a view (a new history entry). */
  navigate(view: View, params?: RouteParams): void;
  /** Changes the current view's parameters in place (no history entry), e.g. a filter as it is typed. */
  replaceParams(params: RouteParams): void;
  setRoute(r: Route): void;
}

export const createUiSlice: Slice<UiSlice> = (set, get) => ({
  route: parseHash(location.hash),
  credentialRequest: null,
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
