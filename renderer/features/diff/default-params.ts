/** Which two refs the diff screen compares when the URL names none. */

/** The diff shown when none is asked for: stable → testing-devel, else the two first streams. */
export function defaultDiffParams(streams: readonly string[]): { from: string; to: string } | null {
  if (streams.includes('stable') && streams.includes('testing-devel')) return { from: 'stable', to: 'testing-devel' };
  if (streams.length >= 2) return { from: streams[1], to: streams[0] };
  if (streams.length === 1) return { from: `${streams[0]}~1`, to: streams[0] };
  return null;
}
