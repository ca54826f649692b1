/** The diff list's filters: change-kind chips, "overrides only", the text filter, and the counts. */
import type { RefObject } from 'react';
import { CHANGE_KINDS, KIND_LABEL, type ChangeKind } from '../../../shared/lockfile/diff';
import { Icon } from '../../components/icons';

export interface FilterBarProps {
  counts: Record<ChangeKind, number>;
  hidden: ReadonlySet<ChangeKind>;
  overridesOnly: boolean;
  text: string;
  packages: number;
  sources: number;
  filterRef: RefObject<HTMLInputElement | null>;
  onToggleKind(k: ChangeKind): void;
  onOverridesOnly(on: boolean): void;
  onText(text: string): void;
}

/** Chips show each kind's count under the text filter; a pressed chip means the kind is shown. */
export function FilterBar({ counts, hidden, overridesOnly, text, packages, sources, filterRef, onToggleKind, onOverridesOnly, onText }: FilterBarProps) {
  return (
    <div className="filter-bar">
      <div className="chips" role="group" aria-label="Change kinds">
        {CHANGE_KINDS.map((k) => (
          <button type="button" key={k} className={`chip chip-kind kind-${k}${hidden.has(k) ? ' off' : ''}${counts[k] === 0 ? ' zero' : ''}`} aria-pressed={!hidden.has(k)} onClick={() => onToggleKind(k)} data-testid={`chip-${k}`} title={hidden.has(k) ? `Show ${KIND_LABEL[k]} packages` : `Hide ${KIND_LABEL[k]} packages`}>
            <span className="chip-check" aria-hidden="true">
              {hidden.has(k) ? '' : '✓'}
            </span>
            {KIND_LABEL[k]} <strong data-testid={`count-${k}`}>{counts[k]}</strong>
          </button>
        ))}
        <span className="chip-sep" aria-hidden="true" />
        <button type="button" className={`chip chip-ov${overridesOnly ? ' on' : ''}`} aria-pressed={overridesOnly} onClick={() => onOverridesOnly(!overridesOnly)} data-testid="overrides-only" title="Only packages whose version comes from an override on either side, and the inert overrides">
          <span className="chip-check" aria-hidden="true">
            {overridesOnly ? '✓' : ''}
          </span>
          Overrides only
        </button>
      </div>
      <div className="filter-field">
        <Icon name="search" className="filter-icon" />
        <input ref={filterRef} type="search" placeholder="Filter by package or source" value={text} onChange={(e) => onText(e.target.value)} data-testid="diff-filter" spellCheck={false} aria-label="Filter by package or source package name" />
        <kbd className="filter-kbd" aria-hidden="true">
          /
        </kbd>
      </div>
      <span className="row-count" aria-live="polite">
        <span data-testid="row-count">
          {packages} {packages === 1 ? 'package' : 'packages'}
        </span>
        <span className="muted">
          {' '}
          · {sources} {sources === 1 ? 'source' : 'sources'}
        </span>
      </span>
    </div>
  );
}
