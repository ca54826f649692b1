/**
 * Raw editing of a stream's override file (or any lockfile) in Monaco: the repo's rules shown
 * inline as you type, a side-by-side diff against the stream head, and saving as a draft.
 */
import { DiffEditor, Editor, type OnMount } from '@monaco-editor/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useFocusWhenShown } from '../../components/focus';
import { validateOverridesText, type Finding, type ValidationContext } from '../../../shared/drafts/validate';
import { sourceMapOf } from '../../../shared/lockfile/diff';
import { buildSnapshot } from '../../../shared/lockfile/snapshot';
import { classifyLockPath } from '../../../shared/lockfile/files';
import { parseLockfile } from '../../../shared/lockfile/manifest-lock';
import { ErrorBox } from '../../components/common';
import { monaco } from '../../editor/monaco';
import { bindYamlEnter } from '../../editor/yaml-enter';
import { useStore } from '../../store';
import { editorSelectors } from '../../store/selectors/editor';
import { settingsSelectors } from '../../store/selectors/settings';
import { streamsSelectors } from '../../store/selectors/streams';
import { uiSelectors } from '../../store/selectors/ui';
import { usePick } from '../../store/use-pick';
import { useDark } from '../../components/use-dark';

function findingsOf(file: string, text: string, ctx: ValidationContext): Finding[] {
  const kind = classifyLockPath(file);
  if (!kind) return [];
  if (kind.kind === 'overrides') return validateOverridesText(text, file, ctx);
  try {
    parseLockfile(text, kind.arch, kind.format, { file });
    return [];
  } catch (e) {
    const err = e as { message: string; data?: { line?: number; package?: string } };
    return [{ severity: 'error', message: err.message, line: err.data?.line, package: err.data?.package }];
  }
}

/**
 * The rules' context for a stream's files as read: each binary's source package from its lockfiles
 * (a fast-track of afterburn is one of rust-afterburn, the distro's own: the list is by source), and
 * that list from settings.
 */
function validationContext(files: Readonly<Record<string, string>> | null, ownSources: readonly string[] | undefined): ValidationContext {
  let sources: Record<string, string> = {};
  try {
    sources = sourceMapOf(buildSnapshot('editor', Object.entries(files ?? {}).map(([name, text]) => ({ name, text }))));
  } catch {
    // A lockfile that does not parse maps nothing: its own findings say why.
  }
  return { sourceOf: (n) => sources[n], ownSources };
}

// One object: @monaco-editor/react pushes options to the editor whenever their identity changes.
const DIFF_MODEL_ROOT = '/lockstep-diff/';

const EDITOR_OPTIONS = { minimap: { enabled: false }, fontSize: 13, scrollBeyondLastLine: false, tabSize: 2, insertSpaces: true, detectIndentation: false } as const;
// The diff is read-only, so it has no hunk menu to show. Monaco's gutter menu also reads its
// context keys from a debounced event that can fire after the widget is disposed ("AbstractContextKeyService
// has been disposed" on toggling the diff off: microsoft/monaco-editor#4581).
const DIFF_OPTIONS = { readOnly: true, renderSideBySide: true, minimap: { enabled: false }, renderGutterMenu: false, renderMarginRevertIcon: false } as const;

export default function RawEditor() {
  const { route, streams, navigate } = usePick({ route: uiSelectors.route, streams: streamsSelectors.streams, navigate: uiSelectors.navigate });
  const stream = route.params.stream ?? 'testing-devel';
  const { files, error, saved } = usePick({ files: editorSelectors.filesOf(stream), error: editorSelectors.editorError, saved: editorSelectors.editorSaved });
  const ownSources = useStore(settingsSelectors.settings)?.fcosOwnPackages;
  useEffect(() => {
    if (!useStore.getState().settings) void useStore.getState().loadSettings();
  }, []);
  const [file, setFile] = useState(route.params.file ?? 'manifest-lock.overrides.yaml');
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [showDiff, setShowDiff] = useState(false);
  const [message, setMessage] = useState('');
  const savedNotice = useFocusWhenShown<HTMLDivElement>(saved);
  const editorRef = useRef<Parameters<OnMount>[0] | null>(null);
  // Bumped when an editor mounts (after the diff is toggled off): its markers are set again.
  const [mounted, setMounted] = useState(0);
  // Monaco's theme follows a flip of the system theme while the editor is open.
  const dark = useDark();

  // The texts are read at one commit: the draft is based there, so a fetch meanwhile makes it stale.
  useEffect(() => {
    setTexts({});
    void useStore.getState().loadEditorFiles(stream);
  }, [stream]);

  const original = files?.[file] ?? '';
  const current = texts[file] ?? original;
  const ctx = useMemo(() => validationContext(files, ownSources), [files, ownSources]);
  const findings = useMemo(() => findingsOf(file, current, ctx), [file, current, ctx]);
  const changed = Object.entries(texts).filter(([f, t]) => t !== (files?.[f] ?? ''));

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      'lockstep',
      findings.map((f) => ({
        severity: f.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
        message: f.message,
        startLineNumber: f.line ?? 1,
        endLineNumber: f.line ?? 1,
        startColumn: 1,
        endColumn: model.getLineMaxColumn(f.line ?? 1),
      })),
    );
  }, [findings, mounted]);

  // The diff editor's models are ours (kept by path, one pair per file, reused by every toggle)
  // and outlive the widget: disposing them when the diff is toggled off threw "TextModel got
  // disposed before DiffEditorWidget model got reset", or, with a diff still computing in the
  // worker, "no diff result available". They go when the editor screen does, well after.
  useEffect(
    () => () => {
      setTimeout(() => {
        for (const m of monaco.editor.getModels()) if (m.uri.path.startsWith(DIFF_MODEL_ROOT) && !m.isAttachedToEditor()) m.dispose();
      }, 5000);
    },
    [],
  );

  const language = file.endsWith('.json') ? 'json' : 'yaml';
  const save = () => useStore.getState().saveRawDraft(Object.fromEntries(changed), message.trim() || `overrides: edit ${changed.map(([f]) => f).join(', ')}`);

  return (
    <section className="raw-editor">
      <h1 className="sr-only">
        Edit {file} on {stream}
      </h1>
      <div className="toolbar">
        <label className="inline">
          Stream
          <select value={stream} onChange={(e) => navigate('edit', { stream: e.target.value, file })} data-testid="edit-stream">
            {(streams ?? []).map((s) => (
              <option key={s.name}>{s.name}</option>
            ))}
          </select>
        </label>
        <label className="inline">
          File
          <select value={file} onChange={(e) => setFile(e.target.value)} data-testid="edit-file">
            {Object.keys(files ?? {})
              .concat(files && !files['manifest-lock.overrides.yaml'] ? ['manifest-lock.overrides.yaml'] : [])
              .map((f) => (
                <option key={f}>{f}</option>
              ))}
          </select>
        </label>
        <label className="inline check">
          <input type="checkbox" checked={showDiff} onChange={(e) => setShowDiff(e.target.checked)} data-testid="edit-diff" />
          Diff against {stream}
        </label>
        {/* Monaco keeps Tab for indenting; its own Ctrl+M lets Tab move the focus on instead. */}
        <span className="muted small" data-testid="edit-tab-hint">
          Tab indents · <kbd>Ctrl</kbd>+<kbd>M</kbd>: Tab moves focus
        </span>
        <span className="spacer" />
        <span className={findings.some((f) => f.severity === 'error') ? 'error-text' : 'muted'} data-testid="edit-findings">
          {findings.length === 0 ? 'No problems' : `${findings.filter((f) => f.severity === 'error').length} errors, ${findings.filter((f) => f.severity === 'warning').length} warnings`}
        </span>
      </div>
      <ErrorBox message={error} />
      <div className="editor-frame" data-testid="monaco">
        {!files ? (
          <div className="loading">Reading {stream}…</div>
        ) : showDiff ? (
          <DiffEditor
            key={`diff-${file}`}
            original={original}
            modified={current}
            language={language}
            theme={dark ? 'vs-dark' : 'vs'}
            keepCurrentOriginalModel
            keepCurrentModifiedModel
            originalModelPath={`${DIFF_MODEL_ROOT}original/${stream}/${file}`}
            modifiedModelPath={`${DIFF_MODEL_ROOT}modified/${stream}/${file}`}
            onMount={(ed) => {
              // A reused model holds the texts of the last toggle: bring them up to date.
              const models = ed.getModel();
              if (models && models.original.getValue() !== original) models.original.setValue(original);
              if (models && models.modified.getValue() !== current) models.modified.setValue(current);
            }}
            options={DIFF_OPTIONS}
          />
        ) : (
          <Editor
            key={file}
            // Uncontrolled: Monaco owns the text while typing; React only mirrors it.
            defaultValue={current}
            language={language}
            theme={dark ? 'vs-dark' : 'vs'}
            onMount={(ed) => {
              editorRef.current = ed;
              if (language === 'yaml') bindYamlEnter(ed, monaco.KeyCode.Enter);
              setMounted((n) => n + 1);
            }}
            onChange={(v) => setTexts((t) => ({ ...t, [file]: v ?? '' }))}
            options={EDITOR_OPTIONS}
          />
        )}
      </div>
      <ul className="findings">
        {findings.map((f, i) => (
          <li key={i} className={`f-${f.severity}`}>
            {f.line ? `line ${f.line}: ` : ''}
            {f.message}
          </li>
        ))}
      </ul>
      <div className="row">
        <input className="grow" value={message} onChange={(e) => setMessage(e.target.value)} placeholder={`overrides: edit ${file}`} data-testid="edit-message" />
        <button type="button" className="primary" disabled={changed.length === 0 || findings.some((f) => f.severity === 'error')} onClick={() => void save()} data-testid="edit-save">
          Save as draft
        </button>
      </div>
      {saved && (
        <div className="notice ok" role="status" tabIndex={-1} ref={savedNotice} data-testid="edit-saved">
          Saved {saved}. <a href="#/drafts">Open drafts</a>
        </div>
      )}
    </section>
  );
}
