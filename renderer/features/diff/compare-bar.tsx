/** The From/To ref pickers (streams, branches, tags, commits), swap, Compare, and the overrides switch. */
import { useEffect, useState } from 'react';
import { Icon } from '../../components/icons';
import { useStore, type RouteParams } from '../../store';
import { repoSelectors } from '../../store/selectors/repo';

/** Edits the two sides; Compare (or Enter) applies them, the swap and the switch apply at once. */
export function CompareBar({ from, to, overrides, onCompare }: { from: string; to: string; overrides: boolean; onCompare(p: RouteParams): void }) {
  const refs = useStore(repoSelectors.refs);
  const [fromInput, setFromInput] = useState(from);
  const [toInput, setToInput] = useState(to);
  useEffect(() => {
    setFromInput(from);
    setToInput(to);
  }, [from, to]);
  const ready = fromInput.trim() !== '' && toInput.trim() !== '';
  const changed = fromInput.trim() !== from || toInput.trim() !== to;
  return (
    <form
      className="compare-bar"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) onCompare({ from: fromInput.trim(), to: toInput.trim() });
      }}
    >
      <datalist id="diff-refs">
        {refs.map((r) => (
          <option key={`${r.kind}:${r.name}`} value={r.name} label={`${r.kind} · ${r.oid.slice(0, 7)}`} />
        ))}
      </datalist>
      <label className="ref-field">
        <span className="ref-label">From</span>
        <input list="diff-refs" value={fromInput} onChange={(e) => setFromInput(e.target.value)} data-testid="diff-from" spellCheck={false} autoComplete="off" className="mono" placeholder="stream, branch, tag or commit" aria-label="From ref" />
      </label>
      <button type="button" className="icon-btn bordered" title="Swap the sides" aria-label="Swap the sides" onClick={() => onCompare({ from: to, to: from })} data-testid="swap">
        <Icon name="swap" />
      </button>
      <label className="ref-field">
        <span className="ref-label">To</span>
        <input list="diff-refs" value={toInput} onChange={(e) => setToInput(e.target.value)} data-testid="diff-to" spellCheck={false} autoComplete="off" className="mono" placeholder="stream, branch, tag or commit" aria-label="To ref" />
      </label>
      <button type="submit" className={changed ? 'primary' : undefined} disabled={!ready} data-testid="compare">
        Compare
      </button>
      <label className="switch" title="Off: compare the lockfiles alone, without the override files applied">
        <input type="checkbox" role="switch" checked={overrides} onChange={(e) => onCompare({ overrides: e.target.checked ? undefined : 'off' })} data-testid="toggle-overrides" />
        <span className="switch-track" aria-hidden="true" />
        Overrides applied
      </label>
    </form>
  );
}
