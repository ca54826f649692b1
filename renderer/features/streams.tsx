/** The streams overview: head, date, package counts per arch, overrides, promotion lag. */
import { useEffect } from 'react';
import { PROMOTION_SOURCE } from '../../shared/streams';
import { ErrorBox, Sha, shortDate } from '../components/common';
import { useStore } from '../store';

const ARCHES = ['x86_64', 'aarch64', 'ppc64le', 's390x'];

export function StreamsView() {
  const streams = useStore((s) => s.streams);
  const error = useStore((s) => s.streamsError);
  const navigate = useStore((s) => s.navigate);
  useEffect(() => {
    if (!streams) void useStore.getState().loadStreams();
  }, [streams]);
  if (error) return <ErrorBox message={error} />;
  if (!streams) return <div className="loading">Reading streams…</div>;
  const names = new Set(streams.map((s) => s.name));
  return (
    <section>
      <div className="section-head">
        <h1>Streams</h1>
        {names.has('stable') && names.has('testing-devel') && (
          <button type="button" onClick={() => navigate('diff', { from: 'stable', to: 'testing-devel' })} data-testid="quick-diff">
            Diff stable → testing-devel
          </button>
        )}
      </div>
      <table className="grid" data-testid="streams-table">
        <thead>
          <tr>
            <th>Stream</th>
            <th>Head</th>
            <th>Date</th>
            <th>Subject</th>
            {ARCHES.map((a) => (
              <th key={a} className="num">
                {a}
              </th>
            ))}
            <th className="num">Pins</th>
            <th className="num">Fast-tracks</th>
            <th className="num">Other</th>
            <th>Promotion</th>
          </tr>
        </thead>
        <tbody>
          {streams.map((s) => {
            const source = PROMOTION_SOURCE[s.name];
            return (
              <tr
                key={s.name}
                className="clickable"
                data-testid="stream-row"
                tabIndex={0}
                onClick={() => navigate('diff', { from: source && names.has(source) ? s.name : 'stable', to: source && names.has(source) ? source : s.name })}
                onKeyDown={(e) => e.key === 'Enter' && (e.currentTarget as HTMLElement).click()}
              >
                <td>
                  <strong>{s.name}</strong>
                  {s.ref.startsWith('refs/remotes/') && <span className="muted small"> {s.ref.replace('refs/remotes/', '')}</span>}
                </td>
                <td>
                  <Sha oid={s.head} />
                </td>
                <td>{shortDate(s.date)}</td>
                <td className="subject" title={s.subject}>
                  {s.subject}
                </td>
                {ARCHES.map((a) => (
                  <td key={a} className="num">
                    {s.arches[a] ?? '—'}
                  </td>
                ))}
                <td className="num">{s.overrides.pin || ''}</td>
                <td className="num">{s.overrides['fast-track'] || ''}</td>
                <td className="num">{s.overrides.other || ''}</td>
                <td data-testid="behind">
                  {s.source === null ? (
                    <span className="muted">—</span>
                  ) : s.behind === null ? (
                    <span className="warn">unknown vs {s.source}</span>
                  ) : s.behind === 0 ? (
                    <span className="ok">up to date with {s.source}</span>
                  ) : (
                    <span>
                      {s.behind} behind {s.source}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted small">Click a stream to diff it against its promotion source. Counts are packages in each arch's lockfile.</p>
    </section>
  );
}
