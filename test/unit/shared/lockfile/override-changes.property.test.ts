/**
 * A draft's edited override file is read two ways: its text (what is committed) and, for speed
 * on 32k-entry files, the head's parsed file with the changes applied. They must agree for any
 * file and any changes, or the draft's shown effect would not be what it commits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editOverridesText, OVERRIDES_HEADER, type OverrideChange } from '../../../../shared/lockfile/overrides-edit';
import { parseOverrides, withEntryChanges } from '../../../../shared/lockfile/overrides';
import { scanOverrideLayout } from '../../../../shared/lockfile/override-layout';

const names = fc.constantFrom('kernel', 'podman', 'ignition', 'constructor', '__proto__', 'toString', 'glibc-common', 'python3.12', 'gcc-c++');
const evr = fc.tuple(fc.nat(3), fc.nat(20), fc.nat(9)).map(([e, v, r]) => `${e ? `${e}:` : ''}1.${v}-${r}.fc40`);
const metadata = fc.record(
  {
    reason: fc.constantFrom('https://github.com/coreos/fedora-coreos-tracker/issues/1#issuecomment-2', 'https://example.com/a b', '', 'yes'),
    bodhi: fc.constantFrom('https://bodhi.fedoraproject.org/updates/FEDORA-2024-35ebfcbeef', ''),
    type: fc.constantFrom('pin', 'fast-track'),
  },
  { requiredKeys: [] },
);
const change: fc.Arbitrary<OverrideChange> = fc.oneof(
  fc.record({ op: fc.constant('remove' as const), name: names }),
  fc.record({
    op: fc.constant('set' as const),
    entry: fc.oneof(
      fc.record({ name: names, key: fc.constant('evr' as const), value: evr, metadata }),
      fc.record({ name: names, key: fc.constant('evra' as const), value: evr.map((x) => `${x}.noarch`), metadata }),
    ),
  }),
);

describe('an override file with changes applied', () => {
  for (const file of ['manifest-lock.overrides.yaml', 'manifest-lock.overrides.aarch64.yaml']) {
    it(`reads the same from the edited text and from the parsed file plus the changes (${file})`, () => {
      fc.assert(
        fc.property(fc.array(change, { maxLength: 6 }), fc.array(change, { minLength: 1, maxLength: 4 }), fc.boolean(), (setup, changes, exists) => {
          const text = exists ? editOverridesText(null, setup, file) : null;
          const before = text === null ? undefined : parseOverrides(text, { file });
          const edited = editOverridesText(text, changes, file);
          const fromText = parseOverrides(edited, { file });
          const fromChanges = withEntryChanges(before, file, changes);
          expect(fromChanges.scope).toBe(fromText.scope);
          expect(Object.fromEntries(Object.entries(fromChanges.entries).sort())).toEqual(Object.fromEntries(Object.entries(fromText.entries).sort()));
        }),
        { numRuns: 400 },
      );
    });
  }

  it('keeps the scanner on the fast path for what the editor writes', () => {
    const text = editOverridesText(null, [{ op: 'set', entry: { name: 'kernel', key: 'evr', value: '6.11.4-201.fc40', metadata: { type: 'pin', reason: 'https://x.example/1#c2' } } }], 'manifest-lock.overrides.yaml');
    expect(text.startsWith(OVERRIDES_HEADER)).toBe(true);
    expect(scanOverrideLayout(text)?.entries.map((e) => e.name)).toEqual(['kernel']);
  });

  it('refuses an invalid EVR as parsing the text would', () => {
    const bad: OverrideChange = { op: 'set', entry: { name: 'kernel', key: 'evr', value: '6.11:bad', metadata: {} } };
    expect(() => parseOverrides(editOverridesText(null, [bad], 'manifest-lock.overrides.yaml'), { file: 'manifest-lock.overrides.yaml' })).toThrow(/kernel/);
    expect(() => withEntryChanges(undefined, 'manifest-lock.overrides.yaml', [bad])).toThrow(/kernel/);
  });
});
