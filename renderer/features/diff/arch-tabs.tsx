/** The arch tabs above the diff list: all arches side by side, or one. */
import type { ArchDiff } from '../../../shared/lockfile/diff';
import { ALL_ARCHES } from './rows';
import type { DeepReadonly } from '../../../shared/readonly';

export interface ArchTabsProps {
  arches: DeepReadonly<ArchDiff[]>;
  /** The selected tab: an arch, or ALL_ARCHES; null: the other files tab. */
  tab: string | null;
  /** Packages changed on any arch. */
  allPackages: number;
  loading: boolean;
  onTab(arch: string | undefined): void;
  /** How many other (non-lock) files differ; null while unknown. */
  otherFiles: number | null;
  onOtherFiles(): void;
  /** A promotion view: the "Kept per stream" tab after the carried ones. */
  kept?: { count: number | null; selected: boolean; onSelect(): void };
}

/** One tab per arch with its change count; an unknown arch in the URL selects all. */
export function ArchTabs({ arches, tab, allPackages, loading, onTab, otherFiles, onOtherFiles, kept }: ArchTabsProps) {
  const knownTab = tab === null || tab === ALL_ARCHES || arches.some((a) => a.arch === tab);
  const files = tab === null && !kept?.selected;
  return (
    <div className="arch-tabs" role="tablist" aria-label={kept ? 'Carried by the promotion (packages per arch, other files), and kept per stream' : 'Arches'}>
      <button type="button" role="tab" aria-selected={tab === ALL_ARCHES || !knownTab} className="arch-tab" onClick={() => onTab(undefined)} data-testid="arch-tab-all">
        All arches <span className="count" title="Packages changed on any arch">{allPackages}</span>
      </button>
      {arches.map((a) => (
        <button type="button" role="tab" key={a.arch} aria-selected={tab === a.arch} className="arch-tab" onClick={() => onTab(a.arch)} data-testid={`arch-tab-${a.arch}`}>
          <span className="mono">{a.arch}</span> <span className="count">{a.changes.length}</span>
        </button>
      ))}
      <button type="button" role="tab" aria-selected={files} className="arch-tab other-files-tab" onClick={onOtherFiles} data-testid="tab-other-files" title="Files other than lockfiles and overrides that differ (denylist, manifests...)">
        Other files <span className="count">{otherFiles ?? '…'}</span>
      </button>
      {kept && (
        <button type="button" role="tab" aria-selected={kept.selected} className="arch-tab other-files-tab kept-tab" onClick={kept.onSelect} data-testid="tab-kept" title="manifest.yaml, STREAM=/DESCRIPTION= of build-args.conf, the denylist's snoozes: what the target keeps of its own">
          Kept per stream <span className="count">{kept.count ?? '…'}</span>
        </button>
      )}
      {loading && (
        <span className="tab-status" role="status">
          <span className="spinner" aria-hidden="true" /> Updating…
        </span>
      )}
    </div>
  );
}
