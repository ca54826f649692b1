import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BinaryTargets } from '../../../../../shared/bodhi/build-placement';
import { ADVICE_RULES, runAdvice } from '../../../../../shared/bodhi/advice';
import { fastTrackNotNewer } from '../../../../../shared/bodhi/advice/fast-track-not-newer';
import { promotionNotice } from '../../../../../shared/bodhi/advice/promotion-notice';
import { olderThanBuild, type AdviceContext, type AdviceRule, type StreamLocks } from '../../../../../shared/bodhi/advice/rule';
import { streamProposal } from '../../../../../shared/bodhi/advice/stream-proposal';

// podman 5:5.2.5 for x86_64 and aarch64, podman-docker noarch on both.
const targets: BinaryTargets = {
  podman: { x86_64: { evr: '5:5.2.5-1.fc40', arch: 'x86_64' }, aarch64: { evr: '5:5.2.5-1.fc40', arch: 'aarch64' } },
  'podman-docker': { x86_64: { evr: '5:5.2.5-1.fc40', arch: 'noarch' }, aarch64: { evr: '5:5.2.5-1.fc40', arch: 'noarch' } },
};
const locks = (podman: string, docker = podman) => ({
  x86_64: { podman: { evr: podman }, 'podman-docker': { evr: docker } },
  aarch64: { podman: { evr: podman }, 'podman-docker': { evr: docker } },
});
const stream = (name: string, locked: ReturnType<typeof locks>, t = targets): StreamLocks => ({ stream: name, commit: `${name.length}`.repeat(40), targets: t, locked });

/** One stream's context as the service makes it: targeted when `covered` names it, its source given. */
function ctx(s: StreamLocks, opts: { covered?: string[]; action?: string; source?: StreamLocks | null; proposable?: boolean; targeted?: boolean } = {}): AdviceContext {
  const covered = opts.covered ?? [];
  return {
    action: opts.action ?? 'fast-track',
    stream: s,
    targeted: opts.targeted ?? covered.includes(s.stream),
    covered,
    proposable: opts.proposable ?? true,
    source: opts.source ? { ...opts.source, proposable: true } : null,
  };
}
/** The service's contexts over streams in list order: the chosen ones first, each with its source among the others. */
function contexts(all: StreamLocks[], chosen: string[], action = 'fast-track'): AdviceContext[] {
  const SOURCES: Record<string, string> = { testing: 'testing-devel', stable: 'testing', next: 'next-devel' };
  const by = new Map(all.map((s) => [s.stream, s]));
  const of = (s: StreamLocks) => ctx(s, { covered: chosen, action, source: by.get(SOURCES[s.stream]) ?? null });
  return [...chosen.flatMap((c) => (by.has(c) ? [of(by.get(c)!)] : [])), ...all.filter((s) => !chosen.includes(s.stream)).map(of)];
}
const proposed = (all: StreamLocks[], chosen: string[], action = 'fast-track') =>
  runAdvice(contexts(all, chosen, action))
    .filter((f) => f.rule === 'stream-proposal')
    .map((f) => f.stream);

const testingDevelHas = { ...stream('testing-devel', locks('5:5.2.5-1.fc40', '5:5.2.6-1.fc40')), commit: 'abcdef0123456789abcdef0123456789abcdef01' };

// Each rule: a context it speaks about (its finding), and one it leaves alone.
const CASES: [string, AdviceRule, AdviceContext, RegExp, AdviceContext][] = [
  [
    'promotion-notice',
    promotionNotice,
    ctx(stream('testing', locks('5:5.2.3-1.fc40')), { covered: ['testing'], source: testingDevelHas }),
    /^testing-devel \(abcdef0\) already carries podman 5:5.2.5-1.fc40, podman-docker 5:5.2.5-1.fc40 or newer: this will be part of the promotion to testing, so this fast-track isn't necessary$/,
    ctx(stream('testing', locks('5:5.2.3-1.fc40')), { covered: ['testing'], source: stream('testing-devel', locks('5:5.2.4-1.fc40')) }),
  ],
  [
    'fast-track-not-newer',
    fastTrackNotNewer,
    ctx(stream('testing-devel', locks('5:5.2.5-1.fc40', '5:5.2.4-1.fc40')), { covered: ['testing-devel'] }),
    /^testing-devel \(1313131\)'s lockfiles already lock podman \(5:5.2.5-1.fc40 on aarch64, x86_64\), the build's version or newer: a fast-track there pulls nothing in; did you mean a pin\?$/,
    ctx(stream('testing-devel', locks('5:5.2.4-1.fc40')), { covered: ['testing-devel'] }),
  ],
  [
    'stream-proposal',
    streamProposal,
    ctx(stream('next-devel', locks('5:5.2.3-1.fc40')), { covered: ['testing-devel'] }),
    /^next-devel \(1010101\) locks an older podman \(5:5.2.3-1.fc40 on aarch64, x86_64\), podman-docker \(5:5.2.3-1.fc40 on aarch64, x86_64\): open a fast-track there too\?$/,
    ctx(stream('next-devel', locks('5:5.2.3-1.fc40')), { covered: ['testing-devel', 'next-devel'] }),
  ],
];

describe('reviewer advice rules', () => {
  it.each(CASES)('%s: says its finding about the stream, and nothing where it does not apply', (name, rule, speaks, message, silent) => {
    const f = rule(speaks);
    expect(f?.message).toMatch(message);
    expect(f).toMatchObject({ rule: name, stream: speaks.stream.stream });
    expect(rule(silent)).toBeNull();
  });

  it('lists every rule file of the folder exactly once, each with a case above', () => {
    const dir = path.resolve(__dirname, '../../../../../shared/bodhi/advice');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'rule.ts');
    expect(ADVICE_RULES.length).toBe(files.length);
    expect(new Set(ADVICE_RULES).size).toBe(ADVICE_RULES.length);
    for (const rule of ADVICE_RULES) expect(CASES.some(([, r]) => r === rule)).toBe(true);
    // Each file's rule is named after it.
    for (const [name, rule, speaks] of CASES) expect(files).toContain(`${rule(speaks)!.rule}.ts`), expect(rule(speaks)!.rule).toBe(name);
  });

  it('finds the binary-arches a stream locks older than the build, by rpm order not string order', () => {
    expect(olderThanBuild(targets, locks('5:5.2.10-1.fc40'))).toEqual([]);
    expect(olderThanBuild(targets, locks('5:5.2.3-1.fc40', '5:5.2.5-1.fc40'))).toEqual([
      { name: 'podman', arch: 'aarch64', locked: '5:5.2.3-1.fc40', build: '5:5.2.5-1.fc40' },
      { name: 'podman', arch: 'x86_64', locked: '5:5.2.3-1.fc40', build: '5:5.2.5-1.fc40' },
    ]);
    // An epoch wins over any version.
    expect(olderThanBuild(targets, locks('4:9.9-1.fc40')).length).toBe(4);
  });

  it('proposes every stream not chosen that locks an older version, in the order given, offering to add it', () => {
    const all = [stream('testing-devel', locks('5:5.2.3-1.fc40')), stream('next-devel', locks('5:5.2.3-1.fc40')), stream('rawhide', locks('5:5.3.0-1.fc42'))];
    const found = runAdvice(contexts(all, ['testing-devel']));
    expect(found.map((f) => [f.rule, f.stream, f.severity, f.addStream])).toEqual([['stream-proposal', 'next-devel', 'note', 'next-devel']]);
    expect(proposed(all, ['testing-devel', 'next-devel'])).toEqual([]);
    // A stream on another release is not proposable (the service says which).
    expect(streamProposal(ctx(stream('rawhide', locks('5:5.2.3-1.fc40')), { proposable: false }))).toBeNull();
  });

  it('does not propose a production stream whose promotion source is chosen or already carries the builds (a fast-track only)', () => {
    const td = stream('testing-devel', locks('5:5.2.3-1.fc40'));
    const testing = stream('testing', locks('5:5.2.3-1.fc40'));
    expect(proposed([td, testing], ['testing-devel'])).toEqual([]);
    expect(proposed([td, testing], [])).toEqual(['testing-devel', 'testing']);
    const tdHas = stream('testing-devel', locks('5:5.2.5-1.fc40'));
    expect(proposed([tdHas, testing], [])).toEqual([]);
    // A pin is not brought by promotion: testing is proposed.
    expect(proposed([tdHas, testing], [], 'pin')).toEqual(['testing']);
    // A source that is not proposable itself (another release) does not count as carrying them.
    expect(streamProposal({ ...ctx(testing, { source: tdHas }), source: { ...tdHas, proposable: false } })?.stream).toBe('testing');
  });

  it('flags a fast-track on a production stream whose source carries every binary at that version or newer, naming source and commit', () => {
    const n = promotionNotice(ctx(stream('testing', locks('5:5.2.3-1.fc40')), { covered: ['testing'], source: testingDevelHas }));
    expect(n).toMatchObject({ severity: 'warning', source: 'testing-devel', commit: 'abcdef0123456789abcdef0123456789abcdef01', headline: 'Promotion already brings this to testing' });
    expect(n?.gaps.length).toBe(4);
    // The same versions, not newer: no "or newer".
    const same = promotionNotice(ctx(stream('testing', locks('5:5.2.3-1.fc40')), { covered: ['testing'], source: stream('testing-devel', locks('5:5.2.5-1.fc40')) }));
    expect(same?.message).toContain('podman-docker 5:5.2.5-1.fc40: this will be part');
  });

  it('says no promotion notice when the source lacks one binary-arch, has it older, for a pin, for a stream not targeted, or with no promotion source', () => {
    const testing = stream('testing', locks('5:5.2.3-1.fc40'));
    const chosen = { covered: ['testing'] };
    expect(promotionNotice(ctx(testing, { ...chosen, source: stream('testing-devel', locks('5:5.2.5-1.fc40', '5:5.2.4-1.fc40')) }))).toBeNull();
    const partial = stream('testing-devel', { x86_64: locks('5:5.2.5-1.fc40').x86_64 } as ReturnType<typeof locks>);
    expect(promotionNotice(ctx(testing, { ...chosen, source: partial }))).toBeNull();
    const has = stream('testing-devel', locks('5:5.2.5-1.fc40'));
    expect(promotionNotice(ctx(testing, { ...chosen, source: has, action: 'pin' }))).toBeNull();
    expect(promotionNotice(ctx(testing, { source: has }))).toBeNull();
    expect(promotionNotice(ctx(stream('next-devel', locks('5:5.2.3-1.fc40')), { covered: ['next-devel'], source: has }))).toBeNull();
    // The source must be the stream's own promotion source: next comes from next-devel.
    const next = stream('next', locks('5:5.2.3-1.fc40'));
    expect(promotionNotice(ctx(next, { covered: ['next'], source: has }))).toBeNull();
    expect(promotionNotice(ctx(next, { covered: ['next'], source: { ...has, stream: 'next-devel' } }))?.source).toBe('next-devel');
  });

  it('asks "did you mean a pin?" of a fast-track to a version the base lockfile has or passed, not of a newer one, a pin, or a stream not targeted', () => {
    const older = ctx(stream('testing-devel', locks('5:5.2.6-1.fc40')), { covered: ['testing-devel'] });
    expect(fastTrackNotNewer(older)).toMatchObject({ severity: 'warning', headline: 'testing-devel already locks this version or newer: a pin?' });
    expect(fastTrackNotNewer(older)?.gaps.map((g) => `${g.name}.${g.arch} ${g.locked}`)).toEqual([
      'podman.aarch64 5:5.2.6-1.fc40',
      'podman.x86_64 5:5.2.6-1.fc40',
      'podman-docker.aarch64 5:5.2.6-1.fc40',
      'podman-docker.x86_64 5:5.2.6-1.fc40',
    ]);
    expect(fastTrackNotNewer({ ...older, action: 'pin' })).toBeNull();
    expect(fastTrackNotNewer({ ...older, targeted: false })).toBeNull();
    // The base lockfile decides, not the effective lock: a pin holding 5.2.3 does not hide a base at 5.2.6.
    const pinned = { ...stream('testing-devel', locks('5:5.2.3-1.fc40')), base: locks('5:5.2.6-1.fc40') };
    expect(fastTrackNotNewer(ctx(pinned, { covered: ['testing-devel'] }))?.rule).toBe('fast-track-not-newer');
    expect(fastTrackNotNewer(ctx({ ...pinned, base: locks('5:5.2.4-1.fc40') }, { covered: ['testing-devel'] }))).toBeNull();
  });

  it('gives the targeted streams\' findings first, in the order of the rules, then the proposals', () => {
    const td = stream('testing-devel', locks('5:5.2.5-1.fc40'));
    const testing = stream('testing', locks('5:5.2.5-1.fc40'));
    const next = stream('next-devel', locks('5:5.2.3-1.fc40'));
    const found = runAdvice(contexts([td, testing, next], ['testing']));
    expect(found.map((f) => `${f.rule} ${f.stream}`)).toEqual(['promotion-notice testing', 'fast-track-not-newer testing', 'stream-proposal next-devel']);
  });
});
