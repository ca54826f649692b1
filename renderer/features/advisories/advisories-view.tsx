/**
 * Advisories (SPEC §2.16): the security updates each stream is missing, grouped by CVE across
 * streams and sorted by severity, with one action drafting the fast-tracks on every stream that
 * needs one (each from its own release's update, through the draft form of capability 14), and
 * a search box answering "which streams carry this fix?".
 */
import { useEffect, useState } from 'react';
import type { AdvisoryRow, CarriesRow } from '../../../shared/bodhi/advisories';
import { age, fastTrackPlan, groupByCve, type CveGroup } from './advisory-groups';
import { ErrorBox } from '../../components/common';
import { routeHash, useStore } from '../../store';
import type { DeepReadonly } from '../../../shared/readonly';
import { advisoriesSelectors } from '../../store/selectors/advisories';
import { uiSelectors } from '../../store/selectors/ui';
import { usePick } from '../../store/use-pick';

type Row = DeepReadonly<AdvisoryRow>;

function sourceNote(fetched: string | null, fromCache: boolean): string {
  if (!fetched) return 'nothing cached yet: check Bodhi';
  return fromCache ? `offline: Bodhi's answers cached ${age(fetched) === 'today' ? 'today' : `${age(fetched)} ago`} (${fetched.slice(0, 16).replace('T', ' ')})` : 'read from Bodhi just now';
}

export function AdvisoriesView() {
  const { view, busy, error } = usePick({ view: advisoriesSelectors.advisories, busy: advisoriesSelectors.advisoriesBusy, error: advisoriesSelectors.advisoriesError });
  useEffect(() => {
    // The cache answers at once and never reaches the network; "Check Bodhi" goes online.
    void useStore.getState().loadAdvisories(true);
  }, []);
  const groups = view ? groupByCve(view.rows) : [];
  return (
    <section className="graduation-view" data-testid="advisories">
      <div className="section-head">
        <h1>Advisories</h1>
        <div className="row">
          <button type="button" className="primary" onClick={() => void useStore.getState().loadAdvisories(false)} disabled={busy !== null} data-testid="advisories-check">
            {busy === 'online' ? 'Asking Bodhi…' : 'Check Bodhi'}
          </button>
          <button type="button" onClick={() => void useStore.getState().loadAdvisories(true)} disabled={busy !== null} data-testid="advisories-offline">
            Use the cache
          </button>
        </div>
      </div>
      <p className="muted small" data-testid="advisories-source">
        Security updates (Bodhi, testing or stable) of each stream&apos;s own Fedora release whose build is newer than what the stream locks ·{' '}
        {view ? sourceNote(view.fetched, view.fromCache) : busy ? 'reading…' : sourceNote(null, true)}
      </p>
      <ErrorBox message={error} testid="advisories-error" />
      <CarriesSearch />
      {view?.streams
        .filter((s) => s.error)
        .map((s) => (
          <p key={s.stream} className="error-text small" data-testid="advisories-stream-error">
            {s.stream}: {s.error}
          </p>
        ))}
      {view && groups.length === 0 && <p className="muted" data-testid="advisories-none">No stream is missing a security update{view.fetched ? '' : ' that is known'}.</p>}
      {groups.map((g) => (
        <CveCard key={g.key} g={g} />
      ))}
    </section>
  );
}

function CveCard({ g }: { g: CveGroup }) {
  const navigate = useStore(uiSelectors.navigate);
  const plan = fastTrackPlan(g.rows);
  const fastTrack = () => {
    const aliases = [...new Set(plan.map((p) => p.alias))];
    navigate('draft', { type: 'fast-track', update: aliases.join(' '), streams: plan.map((p) => p.stream).join(','), pairs: plan.map((p) => `${p.stream}:${p.alias}`).join(',') });
  };
  return (
    <section className="card graduation-stream" data-testid="advisory-group" data-cve={g.key}>
      <div className="row between">
        <h2>
          {g.key} <span className={`pill severity-${g.severity}`}>{g.severity}</span>
        </h2>
        <button type="button" onClick={fastTrack} data-testid="advisory-fast-track">
          Fast-track on every stream that needs it ({plan.length})
        </button>
      </div>
      <table className="grid compact">
        <thead>
          <tr>
            <th>Stream</th>
            <th>Locked</th>
            <th>Fix</th>
            <th>Update</th>
            <th>Status</th>
            <th>Age</th>
          </tr>
        </thead>
        <tbody>
          {g.rows.map((r) => (
            <tr key={`${r.stream} ${r.alias} ${r.source}`} data-testid="advisory-row" data-stream={r.stream}>
              <td>{r.stream}</td>
              <td className="mono">{r.locked}</td>
              <td className="mono">{r.build}</td>
              <td className="mono">{r.url ? <a href={r.url} target="_blank" rel="noreferrer">{r.alias}</a> : r.alias}</td>
              <td>{r.status}</td>
              <td>{age(r.submitted)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function CarriesSearch() {
  const { carries, busy, error } = usePick({ carries: advisoriesSelectors.carries, busy: advisoriesSelectors.carriesBusy, error: advisoriesSelectors.carriesError });
  const [query, setQuery] = useState('');
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void useStore.getState().searchCarries(query);
  };
  return (
    <form className="card stack" onSubmit={submit} data-testid="carries-form">
      <label htmlFor="carries-query">Which streams carry the fix? A CVE id, a Bodhi update ID or URL, or a source package</label>
      <div className="row">
        <input id="carries-query" className="grow" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="CVE-2026-1001, FEDORA-2026-…, or openssh" data-testid="carries-query" />
        <button type="submit" disabled={busy || !query.trim()} data-testid="carries-search">
          {busy ? 'Looking…' : 'Look up'}
        </button>
      </div>
      <ErrorBox message={error} testid="carries-error" />
      {carries && (
        <>
          <p className="small muted">
            {carries.alias ?? carries.query}: {carries.cves.join(', ') || 'names no CVE'} in {carries.sources.join(', ')}
          </p>
          {carries.warnings.map((w) => (
            <p key={w} className="error-text small">
              {w}
            </p>
          ))}
          <table className="grid compact" data-testid="carries-table">
            <thead>
              <tr>
                <th>Stream</th>
                <th>Carried</th>
                <th>Version</th>
                <th>Fix</th>
                <th>Since</th>
              </tr>
            </thead>
            <tbody>
              {carries.rows.map((r) => (
                <CarriesLine key={r.stream} r={r} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </form>
  );
}

function CarriesLine({ r }: { r: DeepReadonly<CarriesRow> }) {
  const text = r.carried === null ? 'no such update for its release' : r.carried ? 'yes' : 'no';
  return (
    <tr data-testid="carries-row" data-stream={r.stream} data-carried={String(r.carried)}>
      <td>{r.stream}</td>
      <td className={r.carried === false ? 'error-text' : undefined}>{text}</td>
      <td className="mono">{r.version ?? '-'}</td>
      <td className="mono">{r.fix ?? '-'}</td>
      <td className="mono">{r.since ? <a href={routeHash('diff', { from: `${r.since}^`, to: r.since })}>{r.since.slice(0, 12)}</a> : '-'}</td>
    </tr>
  );
}

/** The streams screen's count: "3 security updates missing", from the cached advisories. */
export function SecurityCount({ stream }: { stream: string }) {
  const entry = useStore(advisoriesSelectors.streamEntry(stream));
  if (!entry || entry.missing === 0) return null;
  return (
    <a href="#/advisories" className="pill pill-warn security-count" data-testid="security-count" onClick={(e) => e.stopPropagation()}>
      {entry.missing} security update{entry.missing === 1 ? '' : 's'} missing
    </a>
  );
}
