/**
 * The settings screen: everything in settings.json but the recent list, checked as it is typed
 * (the same rules the back end applies) and applied on save without a restart.
 */
import { GithubToken } from './github-token';
import { useEffect, useState } from 'react';
import { useFocusWhenShown } from '../../components/focus';
import { validateSettings, type SettingsPatch, type SettingsView as Settings } from '../../../shared/api/settings-types';
import { ErrorBox } from '../../components/common';
import { useStore } from '../../store';
import type { DeepReadonly } from '../../../shared/readonly';
import { settingsSelectors } from '../../store/selectors/settings';
import { usePick } from '../../store/use-pick';

interface Draft {
  upstream: string;
  pushRemote: string;
  pushConcurrency: string;
  bodhiUrl: string;
  kojiUrl: string;
  graduationRepos: string;
  buildPoolRepos: string;
  fcosOwnPackages: string;
  streamsAdd: string;
  hidden: string[];
}

const lines = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);

function toDraft(s: DeepReadonly<Settings>): Draft {
  return {
    upstream: s.upstream,
    pushRemote: s.pushRemote,
    pushConcurrency: String(s.pushConcurrency),
    bodhiUrl: s.bodhiUrl,
    kojiUrl: s.kojiUrl,
    graduationRepos: s.graduationRepos.join('\n'),
    buildPoolRepos: s.buildPoolRepos.join('\n'),
    fcosOwnPackages: s.fcosOwnPackages.join('\n'),
    streamsAdd: s.streams.add.join('\n'),
    hidden: [...s.streams.hide],
  };
}

function toPatch(d: Draft): SettingsPatch {
  return {
    upstream: d.upstream.trim(),
    pushRemote: d.pushRemote.trim(),
    pushConcurrency: Number(d.pushConcurrency),
    bodhiUrl: d.bodhiUrl.trim(),
    kojiUrl: d.kojiUrl.trim(),
    graduationRepos: lines(d.graduationRepos),
    buildPoolRepos: lines(d.buildPoolRepos),
    fcosOwnPackages: lines(d.fcosOwnPackages),
    streams: { add: lines(d.streamsAdd), hide: d.hidden },
  };
}

export function SettingsView() {
  const { settings, error } = usePick({ settings: settingsSelectors.settings, error: settingsSelectors.settingsError });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const noteRef = useFocusWhenShown<HTMLSpanElement>(note);
  useEffect(() => {
    void useStore.getState().loadSettings();
  }, []);
  useEffect(() => {
    if (settings) setDraft(toDraft(settings));
  }, [settings]);
  if (error && !draft) return <ErrorBox message={error} />;
  if (!draft || !settings) return <div className="loading">Reading settings…</div>;

  const patch = toPatch(draft);
  const problems = validateSettings(patch);
  const problem = (f: keyof SettingsPatch) => problems.find((p) => p.field === f)?.message;
  const edit = (patch: Partial<Draft>) => {
    setNote(null);
    setDraft({ ...draft, ...patch });
  };
  const save = async () => {
    const err = await useStore.getState().saveSettings(patch);
    setNote(err ? { ok: false, text: err } : { ok: true, text: 'Saved and applied.' });
  };

  return (
    <section className="page settings-view" data-testid="settings">
      <h1>Settings</h1>
      <p className="subtitle">Kept in the app's data folder (settings.json); applied on save, no restart.</p>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset className="stack">
          <legend>Remotes and pushes</legend>
          <Field id="set-upstream" label="Upstream remote (its branches are the streams)" problem={problem('upstream')}>
            <input id="set-upstream" value={draft.upstream} onChange={(e) => edit({ upstream: e.target.value })} data-testid="set-upstream" spellCheck={false} />
          </Field>
          <Field id="set-push-remote" label="Push remote (your fork's remote name; empty: the upstream remote)" problem={problem('pushRemote')}>
            <input id="set-push-remote" value={draft.pushRemote} placeholder={draft.upstream} onChange={(e) => edit({ pushRemote: e.target.value })} data-testid="set-push-remote" spellCheck={false} />
          </Field>
          <Field id="set-concurrency" label="Pushes at once" problem={problem('pushConcurrency')}>
            <input id="set-concurrency" type="number" min={1} max={8} value={draft.pushConcurrency} onChange={(e) => edit({ pushConcurrency: e.target.value })} data-testid="set-concurrency" />
          </Field>
        </fieldset>
        <fieldset className="stack">
          <legend>Build services</legend>
          <Field id="set-bodhi" label="Bodhi URL" problem={problem('bodhiUrl')} overridden={settings.overriddenBy.bodhiUrl}>
            <input id="set-bodhi" aria-describedby={settings.overriddenBy.bodhiUrl ? 'set-bodhi-env' : undefined} value={draft.bodhiUrl} onChange={(e) => edit({ bodhiUrl: e.target.value })} data-testid="set-bodhi" spellCheck={false} />
          </Field>
          <Field id="set-koji" label="Koji hub URL" problem={problem('kojiUrl')} overridden={settings.overriddenBy.kojiUrl}>
            <input id="set-koji" aria-describedby={settings.overriddenBy.kojiUrl ? 'set-koji-env' : undefined} value={draft.kojiUrl} onChange={(e) => edit({ kojiUrl: e.target.value })} data-testid="set-koji" spellCheck={false} />
          </Field>
          <Field id="set-pool" label="Build pool rpm-md repos, one a line ($basearch expands; empty: Fedora CoreOS's pool)" problem={problem('buildPoolRepos')}>
            <textarea id="set-pool" rows={2} value={draft.buildPoolRepos} onChange={(e) => edit({ buildPoolRepos: e.target.value })} data-testid="set-pool" spellCheck={false} />
          </Field>
          <Field id="set-graduation" label="Graduation rpm-md repos, one a line (empty: Fedora's stable and updates)" problem={problem('graduationRepos')}>
            <textarea id="set-graduation" rows={2} value={draft.graduationRepos} onChange={(e) => edit({ graduationRepos: e.target.value })} data-testid="set-graduation" spellCheck={false} />
          </Field>
          <Field id="set-own" label="The distro's own source packages (a fast-track of these needs no reason), one a line" problem={problem('fcosOwnPackages')}>
            <textarea id="set-own" rows={4} value={draft.fcosOwnPackages} onChange={(e) => edit({ fcosOwnPackages: e.target.value })} data-testid="set-own" spellCheck={false} />
          </Field>
        </fieldset>
        <fieldset className="stack">
          <legend>Streams</legend>
          <Field id="set-streams-add" label="More branches to treat as streams, one a line" problem={problem('streams')}>
            <textarea id="set-streams-add" rows={2} value={draft.streamsAdd} onChange={(e) => edit({ streamsAdd: e.target.value })} data-testid="set-streams-add" spellCheck={false} />
          </Field>
          <div>
            Hidden branches:{' '}
            {draft.hidden.length === 0 ? (
              <span className="muted">none (hide one from the streams view)</span>
            ) : (
              <ul className="plain-list" data-testid="hidden-streams">
                {draft.hidden.map((n) => (
                  <li key={n}>
                    <span className="mono">{n}</span>{' '}
                    <button type="button" className="link" onClick={() => edit({ hidden: draft.hidden.filter((x) => x !== n) })} data-testid={`unhide-${n}`}>
                      Show again
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </fieldset>
        <div className="row">
          <button type="submit" className="primary" disabled={problems.length > 0} data-testid="save-settings">
            Save settings
          </button>
          <button type="button" onClick={() => setDraft(toDraft(settings))}>
            Revert
          </button>
          {note && (
            <span className={note.ok ? 'ok' : 'error-text'} role="status" tabIndex={-1} ref={noteRef} data-testid="settings-note">
              {note.text}
            </span>
          )}
        </div>
      </form>
      <GithubToken />
    </section>
  );
}

function Field({ id, label, problem, overridden, children }: { id: string; label: string; problem?: string; overridden?: string; children: React.ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {overridden && (
        // Named by the field's description (aria-describedby on the input), so it is heard with the field.
        <span className="muted" id={`${id}-env`} data-testid={`env-${id}`}>
          {overridden} is set in the environment and wins over this setting.
        </span>
      )}
      {problem && (
        <span className="error-text" data-testid={`problem-${id}`}>
          {problem}
        </span>
      )}
    </div>
  );
}
