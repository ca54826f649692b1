/**
 * The draft form: target streams, what to draft (a Bodhi update or source NVRs, or packages
 * and versions), type and rationale; then a preview on every target stream, and one save that
 * writes exactly what was previewed (any change to the fields drops the previews).
 */
import { useEffect, useRef, useState } from 'react';
import { useFocusWhenShown } from '../../components/focus';
import type { DraftRequestData } from '../../../shared/api/types';
import type { FromBuildsDraftRequest } from '../../../shared/api/update-types';
import { buildInputKind, splitBuildInput } from '../../../shared/bodhi/build-input';
import { LOCK_ARCHES } from '../../../shared/rpm/arches';
import { ErrorBox } from '../../components/common';
import { useStore } from '../../store';
import { AdviceFindings, adviceWarningLine } from './advice-findings';
import { BuildSourceField } from './build-source-field';
import { IdentityForm } from '../drafts/identity-form';
import { OrderedPush } from '../drafts/ordered-push';
import { PackageLines, type PackageLine } from './package-lines';
import { StreamPreviews } from './stream-previews';
import { buildsSelectors } from '../../store/selectors/builds';
import { draftsSelectors } from '../../store/selectors/drafts';
import { repoSelectors } from '../../store/selectors/repo';
import { streamsSelectors } from '../../store/selectors/streams';
import { uiSelectors } from '../../store/selectors/ui';
import { usePick } from '../../store/use-pick';

type Action = 'pin' | 'fast-track' | 'unpin';

// Drafting from builds previews by itself once the builds resolve and the fields rest this long.
const AUTO_PREVIEW_DELAY_MS = 300;

export function DraftForm() {
  const { route, streams, previews, previewing, previewError, versions, versionsLoading, indexing, dataVersion, identity, resolution, adviceState, navigate } = usePick({
    route: uiSelectors.route,
    streams: streamsSelectors.streams,
    previews: draftsSelectors.previews,
    previewing: draftsSelectors.previewing,
    previewError: draftsSelectors.previewError,
    versions: draftsSelectors.versions,
    versionsLoading: draftsSelectors.versionsLoading,
    indexing: repoSelectors.indexing,
    dataVersion: repoSelectors.dataVersion,
    identity: draftsSelectors.identity,
    resolution: buildsSelectors.resolution,
    adviceState: buildsSelectors.advice,
    navigate: uiSelectors.navigate,
  });
  const lockStreams = (streams ?? []).filter((s) => Object.keys(s.arches).length > 0);
  const [targets, setTargets] = useState<string[]>(route.params.streams ? route.params.streams.split(',') : [route.params.stream ?? 'testing-devel']);
  // From an advisory: which update each stream gets (each stream's own release's update).
  const [pairs, setPairs] = useState(() => new Map((route.params.pairs ?? '').split(',').filter((p) => p.includes(':')).map((p) => p.split(':') as [string, string])));
  const [action, setAction] = useState<Action>((route.params.type as Action) ?? 'pin');
  const [source, setSource] = useState(route.params.update ?? '');
  const [lines, setLines] = useState<PackageLine[]>([{ name: route.params.name ?? '', evr: route.params.evr ?? '' }]);
  const [reason, setReason] = useState('');
  const [bodhi, setBodhi] = useState('');
  const [arch, setArch] = useState('');
  const [ignoreDist, setIgnoreDist] = useState(false);
  const [message, setMessage] = useState('');
  const [messageEdited, setMessageEdited] = useState(false);
  const [signoff, setSignoff] = useState(false);
  const [keepReason, setKeepReason] = useState(false);
  const [saved, setSaved] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const saving = useRef(false);
  const savedNotice = useFocusWhenShown<HTMLDivElement>(saved.length ? saved : null);

  const inputs = splitBuildInput(source);
  const fromBuilds = inputs.length > 0;
  // Targets in stream order, so previews and saved drafts read top to bottom like the streams view.
  const ordered = lockStreams.map((s) => s.name).filter((n) => targets.includes(n));
  const chosen = ordered.length ? ordered : targets;

  useEffect(() => {
    if (!streams) void useStore.getState().loadStreams();
    if (useStore.getState().identity === undefined) void useStore.getState().loadIdentity();
  }, [streams]);
  const first = lines[0]?.name;
  useEffect(() => {
    if (first && !fromBuilds) void useStore.getState().loadVersions(first);
    // A repo opened or fetched meanwhile (dataVersion) has versions of its own.
  }, [first, fromBuilds, dataVersion]);

  // An update is a fast-track and a source NVR a pin, as upstream's workflow takes them.
  const inputKind = fromBuilds ? (inputs.every((i) => buildInputKind(i) === 'srpm') ? 'srpm' : 'update') : null;
  useEffect(() => {
    if (inputKind) setAction(inputKind === 'update' ? 'fast-track' : 'pin');
  }, [inputKind]);

  const packageRequest = (stream: string): DraftRequestData => ({
    stream,
    action,
    requests: lines.filter((l) => l.name.trim()).map((l) => ({ name: l.name.trim(), evr: action === 'unpin' ? undefined : l.evr.trim() })),
    reason: reason.trim() || undefined,
    bodhi: bodhi.trim() || undefined,
    arch: arch || undefined,
    message: messageEdited && message.trim() ? message : undefined,
    signoff,
    keepReason: keepReason || undefined,
  });
  /** One request per update when every target has its own (an advisory's plan), else one for all. */
  const buildsRequests = (): FromBuildsDraftRequest[] => {
    const own = chosen.every((st) => pairs.has(st) && inputs.includes(pairs.get(st)!));
    if (!own) return [buildsRequest(inputs, chosen)];
    const aliases = [...new Set(chosen.map((st) => pairs.get(st)!))];
    return aliases.map((a) => buildsRequest([a], chosen.filter((st) => pairs.get(st) === a)));
  };
  const buildsRequest = (from: string[], to: string[]): FromBuildsDraftRequest => ({
    inputs: from,
    streams: to,
    action: action === 'unpin' ? 'pin' : action,
    reason: reason.trim() || undefined,
    ignoreDistMismatch: ignoreDist,
    message: messageEdited && message.trim() ? message : undefined,
    signoff,
  });

  // Everything a preview depends on; the commit message and sign-off are applied at save.
  const fieldsKey = JSON.stringify({ chosen, action, source: inputs, lines, reason, bodhi, arch, ignoreDist, keepReason });
  const resolved = fromBuilds && resolution.status === 'resolved' && resolution.key === inputs.join('\n');
  useEffect(() => {
    useStore.getState().clearPreviews();
    setSaved([]);
    if (!resolved || !chosen.length) return;
    const t = setTimeout(() => void useStore.getState().previewFromBuilds(buildsRequests()), AUTO_PREVIEW_DELAY_MS);
    return () => clearTimeout(t);
    // buildsRequests reads exactly the fields in fieldsKey (and the fixed pairs).
  }, [fieldsKey, resolved]);

  // What reviewers would say (other streams to target, a fast-track promotion brings anyway), for exactly these fields.
  const buildAction = action === 'unpin' ? 'pin' : action;
  const adviceKey = JSON.stringify([inputs, chosen, buildAction]);
  useEffect(() => {
    if (resolved) void useStore.getState().loadAdvice(inputs, chosen, buildAction);
    // adviceKey holds inputs, chosen and the action.
  }, [adviceKey, resolved]);
  const advice = resolved && adviceState?.key === adviceKey ? adviceState.value : null;
  // Findings about a targeted stream show in its preview; the others propose a stream to add.
  const onTargets = advice?.findings.filter((f) => chosen.includes(f.stream)) ?? [];
  const proposals = advice?.findings.filter((f) => !chosen.includes(f.stream)) ?? [];
  const adviceWarning = adviceWarningLine(onTargets);

  const firstMessage = previews?.find((p) => p.preview)?.preview?.message;
  useEffect(() => {
    if (firstMessage && !messageEdited) setMessage(firstMessage);
  }, [firstMessage, messageEdited]);

  const complete = !!previews && previews.length === chosen.length && previews.every((p) => p.preview && !p.error);
  const errors = previews?.some((p) => p.error || p.preview?.findings.some((f) => f.severity === 'error')) ?? false;
  const canSave = complete && !errors && !busy && identity !== null;

  const doPreview = () => {
    setSaved([]);
    if (fromBuilds) void useStore.getState().previewFromBuilds(buildsRequests());
    else void useStore.getState().previewDrafts(chosen.map(packageRequest));
  };
  const doSave = async () => {
    // A second click before React re-renders the disabled button must not save again.
    if (saving.current) return;
    saving.current = true;
    setBusy(true);
    const s = useStore.getState();
    // Each save carries the head its preview was read at: a stream that moved since is refused, not saved unseen.
    const bases = Object.fromEntries((previews ?? []).flatMap((p) => (p.preview ? [[p.stream, p.preview.base]] : [])));
    try {
      setSaved(fromBuilds ? await s.saveFromBuilds(buildsRequests().map((r) => ({ ...r, bases }))) : await s.saveDrafts(chosen.map((st) => ({ ...packageRequest(st), base: bases[st] }))));
    } finally {
      saving.current = false;
      setBusy(false);
    }
  };
  const distRefused = previews?.some((p) => p.distMismatch);
  // A stream whose release the pasted update is not for takes that release's own update; the
  // others keep what they had, each stream paired with its update as an advisory's plan is.
  const useOffer = (stream: string, alias: string) => {
    const next = new Map(chosen.map((st): [string, string] => [st, pairs.get(st) ?? inputs[0]]));
    next.set(stream, alias);
    setPairs(next);
    setSource([...new Set(next.values())].join('\n'));
  };

  return (
    <section className="draft-form">
      <h1>Draft an override</h1>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          doPreview();
        }}
      >
        <fieldset>
          <legend>Streams</legend>
          {lockStreams.map((s) => (
            <label key={s.name} className="inline check">
              <input
                type="checkbox"
                checked={targets.includes(s.name)}
                onChange={(e) => setTargets((t) => (e.target.checked ? [...t, s.name] : t.filter((x) => x !== s.name)))}
                data-testid={`target-${s.name}`}
              />
              {s.name}
            </label>
          ))}
        </fieldset>
        <BuildSourceField value={source} onChange={setSource} />
        {proposals.length > 0 && (
          <div className="notice" data-testid="stream-proposals" role="status">
            <AdviceFindings findings={proposals} onAddStream={(stream) => setTargets((t) => (t.includes(stream) ? t : [...t, stream]))} />
          </div>
        )}
        <fieldset>
          <legend>Action</legend>
          {(['pin', 'fast-track', 'unpin'] as const).map((a) => (
            <label key={a} className="inline check">
              <input type="radio" name="action" checked={action === a} disabled={fromBuilds && a === 'unpin'} onChange={() => setAction(a)} data-testid={`action-${a}`} />
              {a}
            </label>
          ))}
        </fieldset>
        {!fromBuilds && <PackageLines lines={lines} onChange={setLines} versions={versions} withVersion={action !== 'unpin'} loading={versionsLoading} indexing={indexing} />}
        {action !== 'unpin' && (
          <fieldset className="stack">
            <legend>Rationale</legend>
            <label>
              Reason URL {action === 'pin' && <span className="req">required for a pin</span>}
              <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="https://github.com/coreos/fedora-coreos-tracker/issues/…" data-testid="reason" spellCheck={false} />
            </label>
            {fromBuilds ? (
              <span className="muted">The update's own page is written as metadata.bodhi.</span>
            ) : (
              <>
                <label>
                  Bodhi update URL {action === 'fast-track' && <span className="muted">expected for a fast-track</span>}
                  <input value={bodhi} onChange={(e) => setBodhi(e.target.value)} placeholder="https://bodhi.fedoraproject.org/updates/FEDORA-…" data-testid="bodhi" spellCheck={false} />
                </label>
                <label className="inline">
                  File
                  <select value={arch} onChange={(e) => setArch(e.target.value)} data-testid="draft-arch">
                    <option value="">all-arch overrides (default)</option>
                    {LOCK_ARCHES.map((a) => (
                      <option key={a} value={a}>
                        manifest-lock.overrides.{a}.yaml
                      </option>
                    ))}
                  </select>
                </label>
              </>
            )}
            {fromBuilds && (
              <label className="inline check">
                <input type="checkbox" checked={ignoreDist} onChange={(e) => setIgnoreDist(e.target.checked)} data-testid="ignore-dist" />
                Draft even where the dist tag does not match the stream's release
              </label>
            )}
          </fieldset>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={!chosen.length || (fromBuilds ? !resolved : !lines[0].name.trim())} data-testid="preview">
            Preview{chosen.length > 1 ? ` on ${chosen.length} streams` : ''}
          </button>
          <button type="button" onClick={() => navigate('drafts')}>
            Cancel
          </button>
          {previewing && (
            <span className="muted" role="status">
              <span className="spinner" aria-hidden="true" /> Planning on {chosen.join(', ')}…
            </span>
          )}
        </div>
      </form>
      <ErrorBox message={previewError} testid="preview-error" />
      {previews && (
        <div className="preview" data-testid="draft-preview">
          <StreamPreviews plans={previews} advice={onTargets} onUseOffer={inputs.length === 1 || pairs.size > 0 ? useOffer : undefined} />
          {distRefused && !ignoreDist && <div className="muted">A dist-tag mismatch is refused unless you tick "Draft even where the dist tag does not match".</div>}
          <h3>Commit message{chosen.length > 1 ? ' (every stream)' : ''}</h3>
          <textarea
            rows={6}
            aria-label="Commit message"
            value={message}
            onChange={(e) => {
              setMessage(e.target.value);
              setMessageEdited(true);
            }}
            data-testid="message"
            spellCheck={false}
          />
          <label className="inline check">
            <input type="checkbox" checked={signoff} onChange={(e) => setSignoff(e.target.checked)} /> Add Signed-off-by
          </label>
          {!fromBuilds && (keepReason || previews?.some((p) => p.preview?.notes.some((n) => n.startsWith('replaces the')))) && (
            <label className="inline check">
              <input
                type="checkbox"
                checked={keepReason}
                onChange={(e) => {
                  setKeepReason(e.target.checked);
                  useStore.getState().clearPreviews();
                }}
                data-testid="keep-reason"
              />{' '}
              Keep the reason and Bodhi links of the override it replaces (where none are given above); preview again to see them
            </label>
          )}
          {identity === null && <IdentityForm />}
          <div className="row">
            <button type="button" className="primary" disabled={!canSave} onClick={() => void doSave()} data-testid="save-draft">
              Save draft{chosen.length > 1 ? `s on ${chosen.length} streams` : ''}
            </button>
            {errors && <span className="error-text">Fix the errors above to save.</span>}
            {!errors && adviceWarning && (
              <span className="warning-text" data-testid="advice-warning">
                {adviceWarning}
              </span>
            )}
            {!errors && !complete && !previewing && <span className="muted">Preview every target stream to save.</span>}
          </div>
        </div>
      )}
      {saved.length > 0 && (
        <div className="notice ok" role="status" tabIndex={-1} ref={savedNotice} data-testid="saved">
          Saved {saved.join(', ')}.{' '}
          <a href="#/drafts" data-testid="go-drafts">
            Open drafts
          </a>
          {saved.length > 1 && <OrderedPush branches={saved} />}
        </div>
      )}
    </section>
  );
}
