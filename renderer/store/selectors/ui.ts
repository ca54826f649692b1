/** Named reads of the ui slice (the route and the connection to the back end): components select through these, not inline. */
import type { Store } from '../types';

export const uiSelectors = {
  route: (s: Store) => s.route,
  connection: (s: Store) => s.connection,
  navigate: (s: Store) => s.navigate,
  replaceParams: (s: Store) => s.replaceParams,
  view: (s: Store) => s.route.view,
  params: (s: Store) => s.route.params,
};
