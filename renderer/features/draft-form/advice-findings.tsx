/**
 * The advice rules' findings (shared/bodhi/advice/) as the draft form shows them, one line
 * each: the rule's name is its test id, a warning is an alert, a proposal offers its stream.
 * Every rule shows here; a new rule needs nothing in the UI.
 */
import type { AdviceFinding } from '../../../shared/bodhi/advice/rule';
import type { DeepReadonly } from '../../../shared/readonly';

export function AdviceFindings({ findings, onAddStream }: { findings: DeepReadonly<AdviceFinding[]>; onAddStream?: (stream: string) => void }) {
  return (
    <>
      {findings.map((f) => (
        <div
          key={`${f.rule}-${f.stream}`}
          className={f.severity === 'warning' ? 'warning' : 'row'}
          role={f.severity === 'warning' ? 'alert' : undefined}
          data-testid={f.rule}
          data-severity={f.severity}
          data-stream={f.stream}
          data-source={f.source}
          data-commit={f.commit}
        >
          <span>{f.message}</span>
          {f.addStream && onAddStream && (
            <button type="button" onClick={() => onAddStream(f.addStream!)} data-testid={`propose-${f.addStream}`}>
              Add {f.addStream}
            </button>
          )}
        </div>
      ))}
    </>
  );
}

/** The line beside Save: the warnings about the targeted streams, in a few words each. */
export function adviceWarningLine(findings: DeepReadonly<AdviceFinding[]>): string | null {
  const headlines = [...new Set(findings.filter((f) => f.severity === 'warning').map((f) => f.headline))];
  return headlines.length ? `${headlines.join('; ')}: see the notice above before saving.` : null;
}
