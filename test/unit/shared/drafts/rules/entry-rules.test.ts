import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTRY_RULES } from '../../../../../shared/drafts/rules';
import { bodhiIsUrl } from '../../../../../shared/drafts/rules/bodhi-is-url';
import { distTag } from '../../../../../shared/drafts/rules/dist-tag';
import { fastTrackBodhi } from '../../../../../shared/drafts/rules/fast-track-bodhi';
import { fastTrackReason } from '../../../../../shared/drafts/rules/fast-track-reason';
import { pinNeedsReason } from '../../../../../shared/drafts/rules/pin-needs-reason';
import { reasonIsUrl } from '../../../../../shared/drafts/rules/reason-is-url';
import type { EntryFields, EntryRule, ValidationContext } from '../../../../../shared/drafts/rules/rule';
import { typeKnown } from '../../../../../shared/drafts/rules/type-known';

const URL1 = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';
const BODHI = 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-1';
const entry = (over: Partial<EntryFields>): EntryFields => ({ name: 'podman', evr: '5:5.2.5-1.fc40', type: 'pin', reason: URL1, line: 7, ...over });

// Each rule: an entry it speaks about (its finding), and one it leaves alone.
const CASES: [string, EntryRule, EntryFields, ValidationContext, RegExp | null, EntryFields][] = [
  ['type-known', typeKnown, entry({ type: null }), {}, /podman: no metadata.type/, entry({})],
  ['type-known (unknown)', typeKnown, entry({ type: 'hold' }), {}, /unknown metadata.type "hold"/, entry({ type: 'fast-track' })],
  ['reason-is-url', reasonIsUrl, entry({ reason: 'because' }), {}, /metadata.reason must be a URL, got "because"/, entry({})],
  ['bodhi-is-url', bodhiIsUrl, entry({ bodhi: 'FEDORA-2024-1' }), {}, /metadata.bodhi must be a Bodhi update URL/, entry({ bodhi: BODHI })],
  ['pin-needs-reason', pinNeedsReason, entry({ reason: undefined }), {}, /a pin must carry metadata.reason/, entry({})],
  ['fast-track-bodhi', fastTrackBodhi, entry({ type: 'fast-track' }), {}, /a fast-track should carry metadata.bodhi/, entry({ type: 'fast-track', bodhi: BODHI })],
  ['fast-track-reason', fastTrackReason, entry({ type: 'fast-track', reason: undefined }), {}, /a fast-track should carry metadata.reason/, entry({ name: 'afterburn', type: 'fast-track', reason: undefined })],
  ['dist-tag', distTag, entry({}), { release: 41 }, /5:5.2.5-1.fc40 is built for fc40, the stream is on fc41/, entry({ evr: '5:5.2.5-1.fc41' })],
];

describe('override entry rules', () => {
  it.each(CASES)('%s: says its finding at the entry, and nothing on a good entry', (_n, rule, bad, ctx, message, good) => {
    const f = rule(bad, ctx);
    expect(f?.message).toMatch(message!);
    expect(f).toMatchObject({ package: bad.name, line: 7 });
    // afterburn's source is rust-afterburn, the distro's own: no reason needed.
    expect(rule(good, { ...ctx, sourceOf: (n) => (n === 'afterburn' ? 'rust-afterburn' : n) })).toBeNull();
  });

  it('lists every rule file of the folder exactly once, each with a case above', () => {
    const dir = path.resolve(__dirname, '../../../../../shared/drafts/rules');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'rule.ts');
    expect(ENTRY_RULES.length).toBe(files.length);
    expect(new Set(ENTRY_RULES).size).toBe(ENTRY_RULES.length);
    for (const rule of ENTRY_RULES) expect(CASES.some(([, r]) => r === rule)).toBe(true);
  });
});
