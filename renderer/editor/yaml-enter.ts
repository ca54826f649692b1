/**
 * Enter in a YAML editor: the new line takes the current line's indentation, one level (two
 * spaces, the override files' step) deeper after a key that opens a block (`metadata:`) or a
 * list item; text after the cursor moves down with it. Monaco's own YAML rule depends on the
 * lazily loaded language and did not always fire, so a new `type:` under `metadata:` landed at
 * the key's column ("All mapping items must start at the same column").
 */
import type { editor as MonacoEditor } from 'monaco-editor/editor';

export const YAML_INDENT = '  ';

/** The indentation of the line after `before` (the line's text up to the cursor). */
export function yamlEnterIndent(before: string): string {
  const indent = /^[ ]*/.exec(before)![0];
  const code = before.replace(/\s+#.*$/, '').trimEnd();
  if (/:$/.test(code) || /^\s*-$/.test(code)) return indent + YAML_INDENT;
  // A list item's mapping continues under its first key: `- name: x` ⏎ lines up with `name`.
  const item = /^([ ]*-[ ]+)\S/.exec(before);
  if (item) return ' '.repeat(item[1].length);
  return indent;
}

/** Binds Enter in a YAML editor to `yamlEnterIndent` (suggestions keep their own Enter). */
export function bindYamlEnter(ed: MonacoEditor.IStandaloneCodeEditor, keyCode: number): void {
  ed.addCommand(
    keyCode,
    () => {
      const model = ed.getModel();
      const sel = ed.getSelection();
      if (!model || !sel) return;
      const before = model.getLineContent(sel.startLineNumber).slice(0, sel.startColumn - 1);
      const after = model.getLineContent(sel.endLineNumber).slice(sel.endColumn - 1);
      const indent = yamlEnterIndent(before);
      // Spaces right after the cursor would push the moved text past the new indentation.
      const skip = after.length - after.trimStart().length;
      const range = { startLineNumber: sel.startLineNumber, startColumn: sel.startColumn, endLineNumber: sel.endLineNumber, endColumn: sel.endColumn + skip };
      ed.pushUndoStop();
      ed.executeEdits('yaml-enter', [{ range, text: `\n${indent}`, forceMoveMarkers: true }]);
      ed.pushUndoStop();
      const line = sel.startLineNumber + 1;
      ed.setPosition({ lineNumber: line, column: indent.length + 1 });
      ed.revealPosition({ lineNumber: line, column: indent.length + 1 });
    },
    'editorTextFocus && !editorReadonly && !suggestWidgetVisible && !inSnippetMode',
  );
}
