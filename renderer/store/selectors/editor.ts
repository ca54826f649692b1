/** Named reads of the editor slice (the raw editor): components select through these, not inline. */
import type { Store } from '../types';

export const editorSelectors = {
  editorStream: (s: Store) => s.editorStream,
  editorFiles: (s: Store) => s.editorFiles,
  editorBase: (s: Store) => s.editorBase,
  editorError: (s: Store) => s.editorError,
  editorSaved: (s: Store) => s.editorSaved,
  /** The files loaded for `stream`, or null while another stream's are held. */
  filesOf: (stream: string) => (s: Store) => (s.editorStream === stream ? s.editorFiles : null),
};
