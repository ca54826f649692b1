/** "Export JSON": a file built from the DiffResult, in the CLI's documented shape plus the details behind it. */
import type { DiffResult } from '../../../shared/api/types';
import { diffToJson } from '../../../shared/lockfile/diff';
import type { DeepReadonly } from '../../../shared/readonly';

/** The exported document: both sides, the CLI's `{arch: {added, removed, ...}}` shape, and each arch's full changes. */
export function diffExport(diff: DeepReadonly<DiffResult>, arches: readonly string[]) {
  const shown = diff.arches.filter((a) => arches.includes(a.arch));
  return {
    tool: 'lockstep',
    from: diff.from,
    to: diff.to,
    overrides: diff.overrides,
    diff: diffToJson(shown),
    arches: shown,
  };
}

export function exportFileName(diff: DeepReadonly<DiffResult>, arch: string | null): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `lockstep-diff_${safe(diff.from.input)}_${safe(diff.to.input)}${arch ? `_${safe(arch)}` : ''}.json`;
}

/** Saves a JSON document through the browser's download (the Electron host turns it into a save dialog). */
export function downloadJson(name: string, data: unknown): void {
  const blob = new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
