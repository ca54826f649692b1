/** Drafts: the list (with stale markers) and the form that plans, previews and saves one. */
import { DraftActions, DraftStateCell } from './drafts/draft-state';
import { LOCK_ARCHES } from '../../shared/rpm/arches';
import { useEffect, useMemo, useState } from 'react';
import type { DraftRequestData } from '../../shared/api/types';
import { unifiedDiff } from '../../shared/text/line-diff';
import { call } from '../api';
import { ErrorBox, KindBadge, Sha, shortDate, UnifiedDiff } from '../components/common';
import { GraduationPanel } from './graduation';
import { useStore } from '../store';

export function DraftsView() {
  const drafts = useStore((s) => s.drafts);
  const error = useStore((s) => s.draftsError);
  const navigate = useStore((s) => s.navigate);
  const [message, setMessage] = useState<string | null>(null);
  const streams = useStore((s) => s.streams);
  const [gradStream, setGradStream] = useState('testing-devel');
  useEffect(() => {
    void useStore.getState().loadDrafts();
  }, []);
  return (
    <section>
      <div className="section-head">
        <h1>Drafts</h1>
        <button type="button" className="primary" onClick={() => navigate('draft')} data-testid="new-draft">
          New draft…
        </button>
      </div>
      <ErrorBox message={error} />
      {message && (
        <div className="notice" data-testid="rebase-result">
          {message}
        </div>
      )}
      {!drafts ? (
        <div className="loading">Reading drafts…</div>
      ) : drafts.length === 0 ? (
        <div className="empty">No drafts yet. Draft a pin from any package in a diff or history, or start one here.</div>
      ) : (
        <table className="grid" data-testid="drafts-table">
          <thead>
            <tr>
              <th>Branch</th>
              <th>Stream</th>
              <th>Type</th>
              <th>Packages</th>
              <th>State</th>
              <th>Base</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {drafts.map((d) => (
              <tr key={d.branch} data-testid="draft-row">
                <td className="mono">
                  <a href={`#/draft-info?branch=${encodeURIComponent(d.branch)}`} data-testid="draft-link">
                    {d.branch}
                  </a>
                </td>
                <td>{d.stream}</td>
                <td>
                  <span className={`badge ov-${d.type}`}>{d.type}</span>
                </td>
                <td title={Object.entries(d.packages).map(([n, v]) => `${n} ${v}`).join('\n')}>{d.srpms.join(', ')}</td>
                <td>
                  <DraftStateCell d={d} testid="draft-state" />
                </td>
                <td>
                  <Sha oid={d.base} />
                </td>
                <td>{shortDate(d.createdAt)}</td>
                <td>
                  <a href={`#/diff?from=${encodeURIComponent(d.base)}&to=${encodeURIComponent(d.branch)}`}>Effect</a>{' '}
                  <DraftActions d={d} onMessage={setMessage} compact />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="row" style={{ marginTop: 24 }}>
        <label className="inline">
          Graduation on
          <select value={gradStream} onChange={(e) => setGradStream(e.target.value)} data-testid="graduation-stream">
            {(streams ?? []).filter((s) => s.overrides['fast-track'] > 0 || s.name === gradStream).map((s) => (
              <option key={s.name}>{s.name}</option>
            ))}
          </select>
        </label>
      </div>
      <GraduationPanel key={gradStream} stream={gradStream} />
    </section>
  );
}

interface PackageLine {
  name: string;
  evr: string;
}

export function DraftForm() {
  const route = useStore((s) => s.route);
  const streams = useStore((s) => s.streams);
  const preview = useStore((s) => s.preview);
  const previewError = useStore((s) => s.previewError);
  const versions = useStore((s) => s.versions);
  const navigate = useStore((s) => s.navigate);
  const lockStreams = (streams ?? []).filter((s) => Object.keys(s.arches).length > 0);
  const [targets, setTargets] = useState<string[]>([route.params.stream ?? 'testing-devel']);
  const [action, setAction] = useState<'pin' | 'fast-track' | 'unpin'>((route.params.type as 'pin') ?? 'pin');
  const [lines, setLines] = useState<PackageLine[]>([{ name: route.params.name ?? '', evr: route.params.evr ?? '' }]);
  const [reason, setReason] = useState('');
  const [bodhi, setBodhi] = useState('');
  const [arch, setArch] = useState('');
  const [message, setMessage] = useState('');
  const [messageEdited, setMessageEdited] = useState(false);
  const [signoff, setSignoff] = useState(false);
  const [saved, setSaved] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!streams) void useStore.getState().loadStreams();
    useStore.setState({ preview: null, previewError: null });
  }, [streams]);
  const first = lines[0]?.name;
  useEffect(() => {
    if (first) void useStore.getState().loadVersions(first);
  }, [first]);

  const request = (stream: string): DraftRequestData => ({
    stream,
    action,
    requests: lines.filter((l) => l.name.trim()).map((l) => ({ name: l.name.trim(), evr: action === 'unpin' ? undefined : l.evr.trim() })),
    reason: reason.trim() || undefined,
    bodhi: bodhi.trim() || undefined,
    arch: arch || undefined,
    message: messageEdited && message.trim() ? message : undefined,
    signoff,
  });

  useEffect(() => {
    if (preview && !messageEdited) setMessage(preview.message);
  }, [preview, messageEdited]);

  const errors = preview?.findings.filter((f) => f.severity === 'error') ?? [];
  const canSave = !!preview && errors.length === 0 && !busy;
  const diffs = useMemo(() => Object.entries(preview?.texts ?? {}).map(([file, [a, b]]) => ({ file, text: unifiedDiff(file, a, b) })), [preview]);

  const doPreview = async () => {
    setSaved([]);
    await useStore.getState().previewDraft(request(targets[0]));
  };
  const [identity, setIdentity] = useState<{ name: string; email: string } | null | undefined>(undefined);
  const [idName, setIdName] = useState('');
  const [idEmail, setIdEmail] = useState('');
  useEffect(() => {
    void call('identity:get').then(setIdentity, () => setIdentity(null));
  }, []);
  const doSave = async () => {
    setBusy(true);
    const branches: string[] = [];
    for (const t of targets) {
      const b = await useStore.getState().saveDraft(request(t));
      if (b) branches.push(b);
    }
    setSaved(branches);
    setBusy(false);
  };

  return (
    <section className="draft-form">
      <h1>Draft an override</h1>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void doPreview();
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
        <fieldset>
          <legend>Action</legend>
          {(['pin', 'fast-track', 'unpin'] as const).map((a) => (
            <label key={a} className="inline check">
              <input type="radio" name="action" checked={action === a} onChange={() => setAction(a)} data-testid={`action-${a}`} />
              {a}
            </label>
          ))}
        </fieldset>
        <fieldset className="stack">
          <legend>Packages (binary or source package names)</legend>
          <datalist id="versions">
            {versions.map((v) => (
              <option key={v.evr} value={v.evr}>
                {v.current.length ? `now on ${v.current.join(', ')}` : `seen on ${v.streams.join(', ')}`}
              </option>
            ))}
          </datalist>
          {lines.map((l, i) => (
            <div className="row" key={i}>
              <input value={l.name} placeholder="podman" onChange={(e) => setLines((ls) => ls.map((x, k) => (k === i ? { ...x, name: e.target.value } : x)))} data-testid="pkg-name" spellCheck={false} />
              {action !== 'unpin' && (
                <input list={i === 0 ? 'versions' : undefined} value={l.evr} placeholder="[E:]V-R, e.g. 5:5.2.5-1.fc40" onChange={(e) => setLines((ls) => ls.map((x, k) => (k === i ? { ...x, evr: e.target.value } : x)))} data-testid="pkg-evr" spellCheck={false} />
              )}
              {i === 0 && action !== 'unpin' && versions.some((v) => v.current.length) && (
                <select
                  value=""
                  onChange={(e) => setLines((ls) => ls.map((x, k) => (k === 0 ? { ...x, evr: e.target.value } : x)))}
                  data-testid="backport-from"
                  title="Backport from a stream: propose the version it has"
                >
                  <option value="">Backport from…</option>
                  {versions
                    .filter((v) => v.current.length)
                    .map((v) => (
                      <option key={v.evr} value={v.evr}>
                        {v.current.join(', ')}: {v.evr}
                      </option>
                    ))}
                </select>
              )}
              {lines.length > 1 && (
                <button type="button" className="link" onClick={() => setLines((ls) => ls.filter((_x, k) => k !== i))}>
                  Remove
                </button>
              )}
            </div>
          ))}
          <button type="button" className="link" onClick={() => setLines((ls) => [...ls, { name: '', evr: '' }])} data-testid="add-package">
            + Another package (a Bodhi update often holds several)
          </button>
        </fieldset>
        {action !== 'unpin' && (
          <fieldset className="stack">
            <legend>Rationale</legend>
            <label>
              Reason URL {action === 'pin' && <span className="req">required for a pin</span>}
              <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="https://github.com/coreos/fedora-coreos-tracker/issues/…" data-testid="reason" spellCheck={false} />
            </label>
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
          </fieldset>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={!targets.length || !lines[0].name.trim()} data-testid="preview">
            Preview
          </button>
          <button type="button" onClick={() => navigate('drafts')}>
            Cancel
          </button>
        </div>
      </form>
      <ErrorBox message={previewError} testid="preview-error" />
      {preview && (
        <div className="preview" data-testid="draft-preview">
          <h2>
            Preview on {preview.stream} <Sha oid={preview.base} />
          </h2>
          {preview.findings.map((f, i) => (
            <div key={i} className={f.severity === 'error' ? 'error' : 'warning'} data-testid={`finding-${f.severity}`}>
              {f.message}
            </div>
          ))}
          {preview.notes.map((n, i) => (
            <div key={i} className="notice">
              {n}
            </div>
          ))}
          <h3>Effect on the effective locks</h3>
          <table className="grid compact" data-testid="effect-table">
            <tbody>
              {preview.effect.flatMap((d) =>
                d.changes.map((c) => (
                  <tr key={`${d.arch}-${c.name}`}>
                    <td>{d.arch}</td>
                    <td>{c.name}</td>
                    <td className="mono">
                      {c.from?.evr ?? '—'} → {c.to?.evr ?? '—'}
                    </td>
                    <td>
                      <KindBadge kind={c.kind} />
                    </td>
                  </tr>
                )),
              )}
              {preview.effect.every((d) => d.changes.length === 0) && (
                <tr>
                  <td className="muted">No effective version changes (the override holds the version the lockfile has).</td>
                </tr>
              )}
            </tbody>
          </table>
          <h3>Files</h3>
          {diffs.map((d) => (
            <UnifiedDiff key={d.file} text={d.text} testid="file-diff" />
          ))}
          <h3>Commit message</h3>
          <textarea
            rows={6}
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
          {identity === null && (
            <form
              className="notice"
              data-testid="identity-form"
              onSubmit={(e) => {
                e.preventDefault();
                void call('identity:set', { name: idName, email: idEmail }).then(
                  () => setIdentity({ name: idName, email: idEmail }),
                  (err: Error) => useStore.setState({ previewError: err.message }),
                );
              }}
            >
              <span>Your git identity is not set. Commits are authored as:</span>
              <input placeholder="Your Name" value={idName} onChange={(e) => setIdName(e.target.value)} data-testid="identity-name" />
              <input placeholder="you@example.org" value={idEmail} onChange={(e) => setIdEmail(e.target.value)} data-testid="identity-email" />
              <button type="submit">Save identity</button>
            </form>
          )}
          <div className="row">
            <button type="button" className="primary" disabled={!canSave || identity === null} onClick={() => void doSave()} data-testid="save-draft">
              Save draft{targets.length > 1 ? `s on ${targets.length} streams` : ''}
            </button>
            {errors.length > 0 && <span className="error-text">Fix the errors above to save.</span>}
          </div>
        </div>
      )}
      {saved.length > 0 && (
        <div className="notice ok" data-testid="saved">
          Saved {saved.join(', ')}.{' '}
          <a href="#/drafts" data-testid="go-drafts">
            Open drafts
          </a>
        </div>
      )}
    </section>
  );
}
