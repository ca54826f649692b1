/**
 * Is every NEVRA this draft makes a compose use in the build pool? A build that was
 * garbage-collected or never tagged breaks the compose only after a long CI run; this says so
 * before the push. Read from the cache when the view opens; "Check now" asks the pool.
 */
import { useEffect } from 'react';
import { ErrorBox } from '../../components/common';
import { useStore } from '../../store';
import { draftsSelectors } from '../../store/selectors/drafts';

const STATUS_TEXT = { available: 'in the pool', missing: 'missing', unknown: 'unknown' } as const;

/** What the panel checks: a saved draft (by branch), or a previewed one's NEVRAs on its stream. */
export type PoolSubject = { branch: string } | { stream: string; base: string; nevras: readonly { nevra: string; arch: string }[] };

const keyOf = (s: PoolSubject) => ('branch' in s ? s.branch : `preview:${s.stream}:${s.base}`);
const check = (s: PoolSubject, offline?: boolean) =>
  'branch' in s ? useStore.getState().checkAvailability(s.branch, offline) : useStore.getState().checkPreviewPool(keyOf(s), s.stream, s.nevras, offline);

export function AvailabilityPanel(props: { branch: string } | { preview: Extract<PoolSubject, { stream: string }> }) {
  const subject: PoolSubject = 'branch' in props ? { branch: props.branch } : props.preview;
  const key = keyOf(subject);
  const a = useStore(draftsSelectors.availabilityOf(key));
  // A saved draft reads the cache when the view opens; a preview asks the pool at once (it is about to be saved).
  useEffect(() => {
    void check(subject, 'branch' in subject);
    // key names the subject.
  }, [key]);
  const branch = key;
  const rows = a?.status === 'checked' ? a.result.rows : [];
  const missing = rows.filter((r) => r.status === 'missing').length;
  const unknown = rows.filter((r) => r.status === 'unknown').length;
  const checked = rows.map((r) => r.checked).filter((c): c is string => !!c).sort()[0];
  return (
    <section className="availability" aria-labelledby={`availability-title-${branch}`} data-testid="availability">
      <div className="row between">
        <h3 id={`availability-title-${branch}`}>Build pool</h3>
        <button type="button" className="small-btn" disabled={a?.status === 'checking'} onClick={() => void check(subject)} data-testid="check-availability">
          {a?.status === 'checking' ? 'Checking…' : 'Check now'}
        </button>
      </div>
      {a?.status === 'failed' && <ErrorBox message={a.error} testid="availability-error" />}
      {a?.status === 'checked' && (
        <>
          <p className={missing ? 'error-text' : 'muted'} data-testid="availability-summary">
            {rows.length === 0
              ? 'This draft changes no package.'
              : missing
                ? `${missing} of ${rows.length} missing from the build pool: a compose with this draft would fail. Check the builds are tagged into the pool.`
                : unknown
                  ? `${unknown} of ${rows.length} not checked yet${Object.keys(a.result.errors).length ? ` (${Object.values(a.result.errors)[0]})` : ''}: check now when online.`
                  : `All ${rows.length} in the build pool${checked ? ` (metadata of ${checked.slice(0, 16).replace('T', ' ')})` : ''}.`}
          </p>
          {rows.length > 0 && (
            <table className="grid compact">
              <thead>
                <tr>
                  <th scope="col">NEVRA</th>
                  <th scope="col">Arch</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.arch}-${r.nevra}`} data-testid="availability-row" data-status={r.status}>
                    <td className="mono">{r.nevra}</td>
                    <td>{r.arch}</td>
                    <td className={r.status === 'missing' ? 'error-text' : r.status === 'available' ? 'ok' : 'muted'}>{STATUS_TEXT[r.status]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
