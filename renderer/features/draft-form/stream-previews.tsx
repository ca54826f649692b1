/**
 * What each target stream will get from the draft form: one preview per stream (each saved
 * draft is exactly one of these), with its refusal, findings, effective-lock changes and file diffs.
 */
import { useMemo } from 'react';
import type { StreamPlan } from '../../../shared/api/update-types';
import type { AdviceFinding } from '../../../shared/bodhi/advice/rule';
import { unifiedDiff } from '../../../shared/text/line-diff';
import { draftNevras } from '../../../shared/availability';
import { AdviceFindings } from './advice-findings';
import { AvailabilityPanel } from '../drafts/availability-panel';
import { KindBadge, Sha, UnifiedDiff } from '../../components/common';
import type { DeepReadonly } from '../../../shared/readonly';

/** Takes the offered update (the stream's own release's) for that stream in place of the pasted one. */
export type UseOffer = (stream: string, alias: string) => void;

export function StreamPreviews({ plans, advice = [], onUseOffer }: { plans: DeepReadonly<StreamPlan[]>; advice?: DeepReadonly<AdviceFinding[]>; onUseOffer?: UseOffer }) {
  return (
    <>
      {plans.map((p) => (
        <StreamPreview key={p.stream} plan={p} filesOpen={plans.length === 1} advice={advice.filter((f) => f.stream === p.stream)} onUseOffer={onUseOffer} />
      ))}
    </>
  );
}

function StreamPreview({ plan, filesOpen, advice, onUseOffer }: { plan: DeepReadonly<StreamPlan>; filesOpen: boolean; advice: DeepReadonly<AdviceFinding[]>; onUseOffer?: UseOffer }) {
  const { preview } = plan;
  const diffs = useMemo(() => Object.entries(preview?.texts ?? {}).map(([file, [a, b]]) => ({ file, text: unifiedDiff(file, a, b) })), [preview]);
  const changes = preview?.effect.flatMap((d) => d.changes.map((c) => ({ arch: d.arch, c }))) ?? [];
  const nevras = useMemo(() => draftNevras(preview?.effect ?? []), [preview]);
  return (
    <div className="stream-preview" data-testid="stream-preview" data-stream={plan.stream} data-ok={preview && !plan.error ? 'true' : 'false'}>
      <h2>
        {plan.stream}
        {preview && (
          <>
            {' '}
            <Sha oid={preview.base} />
          </>
        )}
      </h2>
      {plan.error && (
        <div className="error" role="alert" data-testid="stream-error">
          {plan.error}
          {plan.offer && onUseOffer && (
            <div>
              <button type="button" onClick={() => onUseOffer(plan.stream, plan.offer!.alias)} data-testid="use-offer" data-alias={plan.offer.alias}>
                Use {plan.offer.alias} ({plan.offer.nvr}) for {plan.stream}
              </button>{' '}
              {plan.offer.url && (
                <a href={plan.offer.url} target="_blank" rel="noreferrer">
                  Open it in Bodhi
                </a>
              )}
            </div>
          )}
        </div>
      )}
      <AdviceFindings findings={advice} />
      {(preview?.conflictsWith?.length ?? 0) > 0 && (
        <div className="warning" role="alert" data-testid="preview-conflicts">
          {preview!.conflictsWith!.length > 1 ? 'Drafts' : 'A draft'} of {plan.stream} already touch{preview!.conflictsWith!.length > 1 ? '' : 'es'} these packages: {preview!.conflictsWith!.join(', ')}. Saving makes two drafts that fight over them; discard one, or
          draft on top of the other after it merges.
        </div>
      )}
      {preview?.findings.map((f, i) => (
        <div key={i} className={f.severity === 'error' ? 'error' : 'warning'} data-testid={`finding-${f.severity}`}>
          {f.message}
        </div>
      ))}
      {preview?.notes.map((n, i) => (
        <div key={i} className="notice">
          {n}
        </div>
      ))}
      {plan.skipped.length > 0 && (
        <div className="muted" data-testid="skipped">
          Not in any lockfile of {plan.stream}, left out: {plan.skipped.join(', ')}
        </div>
      )}
      {Object.entries(plan.notBuiltFor).map(([name, arches]) => (
        <div key={name} className="muted">
          The build has no {name} for {arches.join(', ')}: those arches keep their version.
        </div>
      ))}
      {preview && (
        <>
          <h3>What {plan.stream} will get</h3>
          <table className="grid compact" data-testid="effect-table">
            <thead>
              <tr>
                <th scope="col">Arch</th>
                <th scope="col">Package</th>
                <th scope="col">Version</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {changes.map(({ arch, c }) => (
                <tr key={`${arch}-${c.name}`} data-testid="effect-row" data-arch={arch} data-name={c.name}>
                  <td>{arch}</td>
                  <td>{c.name}</td>
                  <td className="mono">
                    {c.from ? `${c.from.evr}.${c.from.arch}` : '—'} → {c.to ? `${c.to.evr}.${c.to.arch}` : '—'}
                  </td>
                  <td>
                    <KindBadge kind={c.kind} />
                  </td>
                </tr>
              ))}
              {changes.length === 0 && (
                <tr>
                  <td colSpan={4} className="muted">
                    No effective version changes (the override holds the version the lockfile has).
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <AvailabilityPanel preview={{ stream: plan.stream, base: preview.base, nevras }} />
          <details open={filesOpen}>
            <summary>
              Files ({diffs.map((d) => d.file).join(', ')})
            </summary>
            {diffs.map((d) => (
              <UnifiedDiff key={d.file} text={d.text} testid="file-diff" />
            ))}
          </details>
        </>
      )}
    </div>
  );
}
