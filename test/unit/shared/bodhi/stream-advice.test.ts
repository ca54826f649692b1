import { describe, expect, it } from 'vitest';
import type { BinaryTargets } from '../../../../shared/bodhi/build-placement';
import { olderThanBuild, promotionNotice, proposalText, proposeStreams, type StreamLocks } from '../../../../shared/bodhi/stream-advice';

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

describe('stream advice', () => {
  it('finds the binary-arches a stream locks older than the build, by rpm order not string order', () => {
    expect(olderThanBuild(targets, locks('5:5.2.10-1.fc40'))).toEqual([]);
    expect(olderThanBuild(targets, locks('5:5.2.3-1.fc40', '5:5.2.5-1.fc40'))).toEqual([
      { name: 'podman', arch: 'aarch64', locked: '5:5.2.3-1.fc40', build: '5:5.2.5-1.fc40' },
      { name: 'podman', arch: 'x86_64', locked: '5:5.2.3-1.fc40', build: '5:5.2.5-1.fc40' },
    ]);
    // An epoch wins over any version.
    expect(olderThanBuild(targets, locks('4:9.9-1.fc40')).length).toBe(4);
  });

  it('proposes every stream not chosen that locks an older version, in the order given', () => {
    const all = [stream('testing-devel', locks('5:5.2.3-1.fc40')), stream('next-devel', locks('5:5.2.3-1.fc40')), stream('rawhide', locks('5:5.3.0-1.fc42'))];
    const p = proposeStreams(all, { chosen: ['testing-devel'], action: 'fast-track' });
    expect(p.map((x) => x.stream)).toEqual(['next-devel']);
    expect(proposalText(p[0])).toBe('next-devel (1010101) locks an older podman (5:5.2.3-1.fc40 on aarch64, x86_64), podman-docker (5:5.2.3-1.fc40 on aarch64, x86_64): open a fast-track there too?');
    expect(proposeStreams(all, { chosen: ['testing-devel', 'next-devel'], action: 'fast-track' })).toEqual([]);
  });

  it('does not propose a production stream whose promotion source is chosen or already carries the builds', () => {
    const td = stream('testing-devel', locks('5:5.2.3-1.fc40'));
    const testing = stream('testing', locks('5:5.2.3-1.fc40'));
    expect(proposeStreams([td, testing], { chosen: ['testing-devel'], action: 'fast-track' })).toEqual([]);
    expect(proposeStreams([td, testing], { chosen: [], action: 'fast-track' }).map((x) => x.stream)).toEqual(['testing-devel', 'testing']);
    const tdHas = stream('testing-devel', locks('5:5.2.5-1.fc40'));
    expect(proposeStreams([tdHas, testing], { chosen: [], action: 'fast-track' })).toEqual([]);
  });

  it('flags a fast-track on a production stream whose source carries every binary at that version or newer, naming source and commit', () => {
    const source = { ...stream('testing-devel', locks('5:5.2.5-1.fc40', '5:5.2.6-1.fc40')), commit: 'abcdef0123456789abcdef0123456789abcdef01' };
    const n = promotionNotice({ stream: 'testing', action: 'fast-track', targets, source });
    expect(n?.source).toBe('testing-devel');
    expect(n?.commit).toBe('abcdef0123456789abcdef0123456789abcdef01');
    expect(n?.covered.length).toBe(4);
    expect(n?.message).toBe("testing-devel (abcdef0) already carries podman 5:5.2.5-1.fc40, podman-docker 5:5.2.5-1.fc40 or newer: this will be part of the promotion to testing, so this fast-track isn't necessary");
  });

  it('says nothing when the source lacks one binary-arch, has it older, for a pin, or for a stream with no promotion source', () => {
    const older = stream('testing-devel', locks('5:5.2.5-1.fc40', '5:5.2.4-1.fc40'));
    expect(promotionNotice({ stream: 'testing', action: 'fast-track', targets, source: older })).toBeNull();
    const partial = stream('testing-devel', { x86_64: locks('5:5.2.5-1.fc40').x86_64 } as ReturnType<typeof locks>);
    expect(promotionNotice({ stream: 'testing', action: 'fast-track', targets, source: partial })).toBeNull();
    const has = stream('testing-devel', locks('5:5.2.5-1.fc40'));
    expect(promotionNotice({ stream: 'testing', action: 'pin', targets, source: has })).toBeNull();
    expect(promotionNotice({ stream: 'next-devel', action: 'fast-track', targets, source: has })).toBeNull();
    // The source must be the stream's own promotion source: next comes from next-devel.
    expect(promotionNotice({ stream: 'next', action: 'fast-track', targets, source: has })).toBeNull();
    expect(promotionNotice({ stream: 'next', action: 'fast-track', targets, source: { ...has, stream: 'next-devel' } })?.source).toBe('next-devel');
  });
});
