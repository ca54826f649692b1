/**
 * The history index reads each lockfile version from the one before it (`lock-delta.ts`),
 * comparing bytes and reading only the entries that differ. Whatever the next text is, that
 * reading must give exactly what reading it in full gives (entries, their order, the names
 * whose evra changed, the sources it reports), or step aside so that the full reading (and its
 * located error) decides.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeLockBytes } from '../../../../main/services/history/walk';
import { AppError } from '../../../../shared/errors';
import { nextLockVersion, readLockVersion, type LockBytes, type LockVersion } from '../../../../shared/lockfile/lock-delta';
import { readLockStates } from '../../../../shared/lockfile/lock-states';

const ctx = { file: 'manifest-lock.x86_64.json', commit: 'c'.repeat(40) };
/** The byte work in plain loops, as the reference for the native one. */
const plainBytes: LockBytes = {
  same(a, aFrom, aTo, b, bFrom) {
    for (let i = aFrom, j = bFrom; i < aTo; i++, j++) if (a[i] !== b[j]) return false;
    return true;
  },
  ascii(a, from, to) {
    let s = '';
    for (let i = from; i < to; i++) {
      if (a[i] > 127) return null;
      s += String.fromCharCode(a[i]);
    }
    return s;
  },
  utf8: (a) => new TextDecoder().decode(a),
};
const bytesOf = (s: string) => Buffer.from(s, 'utf8');

interface Pkg {
  name: string;
  evra: string;
  source?: string;
  digest?: boolean;
}
/** The text rpm-ostree writes (pretty-printed, sorted), or the same compact. */
function lockText(pkgs: Pkg[], generated: string, pretty: boolean): string {
  const body = pkgs.map((p) => {
    const e: Record<string, unknown> = { evra: p.evra };
    if (p.digest) e.digest = 'sha256:21dc12';
    if (p.source !== undefined) e.metadata = { sourcerpm: p.source };
    return `${JSON.stringify(p.name)}: ${JSON.stringify(e, null, pretty ? 2 : undefined)}`;
  });
  const meta = `"metadata": {"generated": ${JSON.stringify(generated)}, "rpmmd_repos": {"fedora": {"generated": "x"}}}`;
  return pretty ? `{\n  "packages": {\n    ${body.join(',\n    ')}\n  },\n  ${meta}\n}\n` : `{"packages":{${body.join(',')}},${meta}}`;
}

const evra = fc.tuple(fc.constantFrom('', '1:'), fc.nat(30), fc.nat(12), fc.constantFrom('x86_64', 'noarch')).map(([e, v, r, a]) => `${e}1.${v}-${r}.fc40.${a}`);
const pool = ['NetworkManager', 'kernel', 'kernel-core', 'podman', 'zlib', 'gcc-c++', 'python3.12', 'constructor', 'sourcerpm', 'evra'];
const pkg = (name: string) => fc.record({ name: fc.constant(name), evra, source: fc.option(fc.constantFrom('kernel', 'podman', 'NetworkManager', 'gcc'), { nil: undefined }), digest: fc.boolean() });
const start = fc.subarray(pool, { minLength: 1 }).chain((names) => fc.tuple(...names.map(pkg)));

/** One step of a lockfile's history: bumps (most of them), and everything else a text may do. */
const step = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('bump' as const), at: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), evra }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('source' as const), at: fc.nat(), source: fc.constantFrom('kernel', 'gcc', undefined) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('generated' as const), stamp: fc.constantFrom('2024-10-23T00:00:00Z', '2024-10-24T01:02:03Z', 'later, and longer: 2025') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), name: fc.constantFrom(...pool, 'aaa-first', 'zzz-last'), evra }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reorder' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reformat' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), op: fc.constantFrom('insert', 'replace', 'delete', 'cut'), ch: fc.constantFrom('"', '\\', '{', '}', ',', ':', ' ', '\n', 'é', 'a', '0', '-', '\\u0041') }) },
);

/** Reads the versions in turn, each from the one before when it can; checks each against the full reading. */
function follow(texts: string[], bytes: LockBytes): { deltas: number } {
  let prev: LockVersion | null = null;
  let deltas = 0;
  const known: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const text of texts) {
    let full: ReturnType<typeof readLockStates> | null = null;
    try {
      full = readLockStates(text, ctx, known);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
    const d: ReturnType<typeof nextLockVersion> = prev ? nextLockVersion(prev, bytesOf(text), known, bytes) : null;
    if (d) {
      deltas++;
      // A text the full reading refuses is never read as a delta.
      expect(full).not.toBeNull();
      const got = [...d.version.evras.keys()].map((n) => [n, d.version.evras.get(n)]);
      expect(got).toEqual([...full!.evras]);
      expect(d.version.evras.size).toBe(full!.evras.size);
      expect(d.changed).toEqual([...full!.evras.keys()].filter((n) => prev!.evras.get(n) !== full!.evras.get(n)));
      // Sources: only entries it read, each one the full reading reports too; every changed one.
      for (const s of d.sources) expect(full!.sources).toContainEqual(s);
      for (const s of full!.sources) if (d.changed.includes(s[0])) expect(d.sources).toContainEqual(s);
      prev = d.version;
    } else if (full) {
      prev = readLockVersion(bytesOf(text), ctx, known, bytes).version;
      expect([...prev.evras.keys()].map((n) => [n, prev!.evras.get(n)])).toEqual([...full.evras]);
    }
    for (const [n, s] of d ? d.sources : (full?.sources ?? [])) known[n] = s;
  }
  return { deltas };
}

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function history(pkgs: Pkg[], steps: Step[]): string[] {
  let cur = pkgs.map((p) => ({ ...p }));
  let generated = '2024-10-22T00:00:00Z';
  let pretty = true;
  const texts = [lockText(cur, generated, pretty)];
  for (const s of steps) {
    let text: string | null = null;
    if (s.kind === 'bump') for (const at of s.at) cur[at % cur.length].evra = s.evra;
    else if (s.kind === 'source') cur[s.at % cur.length].source = s.source;
    else if (s.kind === 'generated') generated = s.stamp;
    else if (s.kind === 'add') {
      if (!cur.some((p) => p.name === s.name)) cur = [...cur, { name: s.name, evra: s.evra }].sort((a, b) => (a.name < b.name ? -1 : 1));
    } else if (s.kind === 'remove') {
      if (cur.length > 1) cur.splice(s.at % cur.length, 1);
    } else if (s.kind === 'reorder') cur.reverse();
    else if (s.kind === 'reformat') pretty = !pretty;
    else {
      const base = lockText(cur, generated, pretty);
      const i = s.at % base.length;
      text = s.op === 'cut' ? base.slice(0, i) : s.op === 'insert' ? base.slice(0, i) + s.ch + base.slice(i) : s.op === 'replace' ? base.slice(0, i) + s.ch + base.slice(i + 1) : base.slice(0, i) + base.slice(i + 1);
    }
    texts.push(text ?? lockText(cur, generated, pretty));
  }
  return texts;
}

describe('reading a lockfile version from the one before it', () => {
  for (const [label, bytes] of [
    ['plain loops', plainBytes],
    ['native buffers', nodeLockBytes],
  ] as const) {
    it(`gives exactly the full reading, or steps aside (${label})`, () => {
      let deltas = 0;
      fc.assert(
        fc.property(start, fc.array(step, { maxLength: 12 }), (pkgs, steps) => {
          deltas += follow(history(pkgs, steps), bytes).deltas;
        }),
        { numRuns: 1500 },
      );
      // The property holds trivially if it always steps aside: most steps are bumps it must read.
      expect(deltas).toBeGreaterThan(3000);
    });
  }

  it('reads a bump, a source change and new dates without the full reading; steps aside for a new package', () => {
    const pkgs: Pkg[] = [
      { name: 'NetworkManager', evra: '1:1.46.2-1.fc40.x86_64', source: 'NetworkManager' },
      { name: 'kernel', evra: '6.11.3-300.fc41.x86_64', source: 'kernel' },
      { name: 'zlib', evra: '1.3-1.fc40.x86_64' },
    ];
    const v0 = readLockVersion(bytesOf(lockText(pkgs, 'a', true)), ctx, {}, nodeLockBytes).version;
    const bumped = nextLockVersion(v0, bytesOf(lockText([pkgs[0], { ...pkgs[1], evra: '6.11.4-301.fc41.x86_64', source: 'kernel-new' }, pkgs[2]], 'b, a longer date', true)), { kernel: 'kernel' }, nodeLockBytes);
    expect(bumped?.changed).toEqual(['kernel']);
    expect(bumped?.sources).toEqual([['kernel', 'kernel-new']]);
    expect(bumped?.version.evras.get('kernel')).toBe('6.11.4-301.fc41.x86_64');
    expect(bumped?.version.evras.get('zlib')).toBe('1.3-1.fc40.x86_64');
    expect(v0.evras.get('kernel')).toBe('6.11.3-300.fc41.x86_64');
    expect(nextLockVersion(v0, bytesOf(lockText([...pkgs, { name: 'zstd', evra: '1.5-1.fc40.x86_64' }], 'a', true)), {}, nodeLockBytes)).toBeNull();
  });
});
