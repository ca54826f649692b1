/** Named reads of the board slice (the Overrides board): components select through these, not inline. */
import type { Store } from '../types';

export const boardSelectors = {
  board: (s: Store) => s.board,
  boardLoading: (s: Store) => s.boardLoading,
  boardError: (s: Store) => s.boardError,
  loadBoard: (s: Store) => s.loadBoard,
  resetBoard: (s: Store) => s.resetBoard,
};
