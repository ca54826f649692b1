import { describe, expect, it } from 'vitest';
import { validateOverridesText } from '../../../../shared/drafts/validate';

const FILE = 'manifest-lock.overrides.yaml';
const text = (entry: string) => `# header\npackages:\n  podman:\n${entry}`;

describe('unknown keys in an override file', () => {
  it('flags a misspelt entry key with its line and the key it likely meant', () => {
    const f = validateOverridesText(text('    evr: 5:5.2.5-1.fc40\n    metdata:\n      type: pin\n      reason: https://example.org/1\n'), FILE);
    expect(f).toContainEqual({ severity: 'error', line: 5, package: 'podman', message: 'unknown key "metdata" in podman: did you mean "metadata"?' });
  });

  it('flags `evrr:` even where the entry then has no version (both said)', () => {
    const f = validateOverridesText(text('    evrr: 5:5.2.5-1.fc40\n'), FILE);
    expect(f[0]).toEqual({ severity: 'error', line: 4, package: 'podman', message: 'unknown key "evrr" in podman: did you mean "evr"?' });
    expect(f.some((x) => /needs "evr" or "evra"/.test(x.message))).toBe(true);
  });

  it('flags unknown metadata keys and top-level keys, and nothing in a well-formed file', () => {
    const f = validateOverridesText(`packages:\n  podman:\n    evr: 5:5.2.5-1.fc40\n    metadata:\n      typ: pin\n      reason: https://example.org/1\npakages: {}\n`, FILE);
    expect(f.filter((x) => x.message.startsWith('unknown key')).map((x) => [x.line, x.message])).toEqual([
      [5, `unknown key "typ" in podman's metadata: did you mean "type"?`],
      [7, 'unknown key "pakages": did you mean "packages"?'],
    ]);
    const ok = validateOverridesText(text('    evra: 5:5.2.5-1.fc40.x86_64\n    metadata:\n      type: pin\n      reason: https://example.org/1\n      bodhi: https://bodhi.example/u\n'), FILE);
    expect(ok).toEqual([]);
  });
});
