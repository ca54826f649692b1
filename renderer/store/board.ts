/** The Overrides board: every override of every stream and every draft, with their flags. */
import type { OverridesBoard } from '../../shared/overrides-board';
import type { DeepReadonly } from '../../shared/readonly';
import { call } from '../api';
import { errorText, type Slice } from './types';

export interface BoardSlice {
  board: DeepReadonly<OverridesBoard> | null;
  boardLoading: boolean;
  boardError: string | null;
  loadBoard(): Promise<void>;
  resetBoard(): void;
}

/** Only the last load's answer is kept. */
let loads = 0;

export const createBoardSlice: Slice<BoardSlice> = (set) => ({
  board: null,
  boardLoading: false,
  boardError: null,
  resetBoard() {
    loads++;
    set({ board: null, boardLoading: false, boardError: null });
  },
  async loadBoard() {
    const load = ++loads;
    set({ boardLoading: true, boardError: null });
    try {
      const board = await call('overrides:board');
      if (load === loads) set({ board });
    } catch (e) {
      if (load === loads) set({ boardError: errorText(e) });
    } finally {
      if (load === loads) set({ boardLoading: false });
    }
  },
});
