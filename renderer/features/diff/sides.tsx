/** The two compared sides as resolved: ref, commit, date and subject. */
import { CommitDate } from '../../components/version';
import { Icon } from '../../components/icons';
import { useStore } from '../../store';
import { diffSelectors } from '../../store/selectors/diff';

/** Shows what each side resolved to, so a moving ref is never ambiguous. */
export function Sides() {
  const diff = useStore(diffSelectors.diff);
  if (!diff) return null;
  const side = (s: typeof diff.from, testid: string) => (
    <div className="side" data-testid={testid}>
      <span className="side-ref">{s.input}</span>
      <code className="sha" title={`${s.commit}\n${s.ref}`}>
        {s.commit.slice(0, 10)}
      </code>
      <CommitDate iso={s.date} />
      <span className="side-subject" title={s.subject}>
        {s.subject}
      </span>
    </div>
  );
  return (
    <div className="sides" data-testid="diff-sides">
      {side(diff.from, 'side-from')}
      <Icon name="arrowRight" className="sides-arrow" />
      {side(diff.to, 'side-to')}
      {!diff.overrides && <span className="tag warn-tag">lockfiles only, overrides not applied</span>}
    </div>
  );
}
