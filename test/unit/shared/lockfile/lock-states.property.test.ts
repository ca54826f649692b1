/**
 * The history walk reads lockfiles with a scanner for the usual shape and JSON.parse for the
 * rest. Whatever text it is given, the scanner must either give exactly what JSON.parse gives
 * (names in the same order, the same evras and source changes) or step aside; a malformed file
 * must fail with the same located error either way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { LockLookup, lockStatesViaJson, readLockStates, scanLockJson, type LockStates } from '../../../../shared/lockfile/lock-states';

const ctx = { file: 'manifest-lock.x86_64.json', commit: 'c'.repeat(40) };
const odd = fc.constantFrom('kernel', 'constructor', '__proto__', 'toString', '0', '42', '007', 'gcc-c++', 'python3.12', 'ünïcode', 'a b');
const names = fc.oneof(
  { weight: 9, arbitrary: fc.oneof(fc.constantFrom('kernel', 'kernel-core', 'podman', '389-ds-base', 'gcc-c++', 'python3.12'), fc.nat(300).map((n) => `pkg-${n}`)) },
  { weight: 1, arbitrary: odd },
);
const goodEvra = fc.tuple(fc.constantFrom('', '0:', '1:', '12:'), fc.nat(30), fc.nat(9), fc.constantFrom('x86_64', 'noarch', 'aarch64')).map(([e, v, r, a]) => `${e}1.${v}-${r}.fc40.${a}`);
const evra = fc.oneof(
  { weight: 9, arbitrary: goodEvra },
  fc.constantFrom('', '1-1', 'x.y', 'no-dots', '1.0-1.fc40.x86_64-bad', '1-1.fc40.x86_64'),
);
const rarely = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 6 });
const json = (v: unknown) => JSON.stringify(v);
/** A string's JSON text, now and then with an escape or a raw control character in it. */
const quoted = (v: string, how: number): string => {
  const q = json(v);
  if (how === 1) return q.replace(/[a-z]/, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (how === 2) return q.replace(/[a-z]/, (c) => `${c}\t`);
  if (how === 3) return q.replace(/[a-z]/, (c) => `${c}\\"`);
  if (how === 4) return q.replace(/[a-z]/, (c) => `${c}\\\\`);
  return q;
};
const how = fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 4 }));
const ws = fc.constantFrom('', ' ', '\n  ', '\t', '\r\n', '  \n    ');
/** An entry's text, in the repo's shapes and others (extra keys, other orders, odd values). */
const entryText = fc
  .record({
    evra: fc.option(evra, { nil: undefined, freq: 20 }),
    digest: fc.option(fc.constantFrom('sha256:21dc12', ''), { nil: undefined }),
    metadata: fc.option(
      fc.oneof(
        { weight: 20, arbitrary: fc.record({ sourcerpm: names }) },
        fc.record({ sourcerpm: fc.oneof(names, fc.constant(''), fc.constant(7)) }, { requiredKeys: [] }),
        fc.record({ sourcerpm: names, other: fc.constantFrom(1, 'x', null, [1, { a: true }]) }),
        fc.constantFrom('text', null, 5, [] as unknown[]),
      ),
      { nil: undefined },
    ),
    extra: rarely(fc.constantFrom(-1.5e3, true, false, null, 'x', { deep: [[{}]] }, 0)),
    order: fc.boolean(),
    space: ws,
    escape: fc.tuple(how, how),
  })
  .map(({ evra: e, digest, metadata, extra, order, space, escape }) => {
    const parts: string[] = [];
    if (e !== undefined) parts.push(`${quoted('evra', escape[0])}:${space}${quoted(e, escape[1])}`);
    if (digest !== undefined) parts.push(`"digest": ${json(digest)}`);
    if (metadata !== undefined) parts.push(`"metadata":${space}${json(metadata).replace(/"([a-z-]+)"/, (_, w: string) => quoted(w, escape[0]))}`);
    if (extra !== undefined) parts.push(`"extra": ${json(extra)}`);
    if (order) parts.reverse();
    return `{${space}${parts.join(`,${space}`)}${space}}`;
  });
/** A lockfile text: entries (duplicate names possible), top-level metadata before or after. */
const lockText = fc
  .record({
    entries: fc.array(fc.tuple(names, entryText, how), { maxLength: 8 }),
    meta: fc.constantFrom('', '"metadata": {"generated": "2024-10-23T00:00:00Z", "rpmmd_repos": {"fedora": {"generated": "x"}}}', '"other": [1, 2.5, -0.1e-2, "s"]'),
    metaFirst: fc.boolean(),
    space: ws,
    packagesValue: fc.constantFrom('entries', 'entries', 'entries', 'entries', 'entries', 'entries', 'null', '[]', '"x"'),
  })
  .map(({ entries, meta, metaFirst, space, packagesValue }) => {
    const pkgs = packagesValue === 'entries' ? `{${space}${entries.map(([n, e, h]) => `${quoted(n, h)}:${space}${e}`).join(`,${space}`)}${space}}` : packagesValue;
    const keys = [`"packages": ${pkgs}`];
    if (meta) keys[metaFirst ? 'unshift' : 'push'](meta);
    return `{${space}${keys.join(`,${space}`)}${space}}${space}`;
  });
function usualText(entries: { name: string; evra: string; digest: boolean; source?: string }[], pretty: boolean): string {
  const body = entries.map(({ name, evra: e, digest, source }) => {
    const entry: Record<string, unknown> = { evra: e };
    if (digest) entry.digest = 'sha256:21dc12';
    if (source !== undefined) entry.metadata = { sourcerpm: source };
    return `${json(name)}: ${JSON.stringify(entry, null, pretty ? 2 : undefined)}`;
  });
  const meta = '"metadata": {"generated": "2024-10-23T00:00:00Z", "rpmmd_repos": {"fedora": {"generated": "x"}, "kernel": {"generated": "y"}}}';
  return pretty ? `{\n  "packages": {\n    ${body.join(',\n    ')}\n  },\n  ${meta}\n}\n` : `{"packages":{${body.join(',')}},${meta}}`;
}
/** The shape the repo writes, pretty-printed or not, names often repeated (JSON.parse keeps the last). */
const usual = fc
  .record({
    entries: fc.array(
      fc.record({ name: fc.constantFrom('kernel', 'kernel-core', 'podman', '389-ds-base', 'fedora', 'constructor', 'sourcerpm'), evra, digest: fc.boolean(), source: fc.option(names, { nil: undefined }) }),
      { minLength: 1, maxLength: 10 },
    ),
    pretty: fc.boolean(),
  })
  .map(({ entries, pretty }) => usualText(entries, pretty));
/** The usual shape with evras as the repo writes them: what the scanner must read itself, never hand to JSON.parse. */
const usualValid = fc
  .record({
    // Each name once: with a repeated name the scanner rightly hands the text to JSON.parse (the last one wins there).
    entries: fc.uniqueArray(
      fc.record({ name: fc.constantFrom('kernel', 'kernel-core', 'podman', '389-ds-base', 'fedora', 'constructor', 'sourcerpm'), evra: goodEvra, digest: fc.boolean(), source: fc.option(names, { nil: undefined }) }),
      { minLength: 1, maxLength: 7, selector: (e) => e.name },
    ),
    pretty: fc.boolean(),
  })
  .map(({ entries, pretty }) => usualText(entries, pretty));
/** Malformed and odd variants: a character changed, inserted or removed, or the text cut. */
const mutated = fc.tuple(fc.oneof(lockText, usual), fc.nat(), fc.constantFrom('cut', 'insert', 'replace', 'delete'), fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', '\u0001', 'a', '0', '-', '\\u0041', '\\"')).map(([text, at, op, ch]) => {
  const i = text.length ? at % text.length : 0;
  if (op === 'cut') return text.slice(0, i);
  if (op === 'insert') return text.slice(0, i) + ch + text.slice(i);
  if (op === 'replace') return text.slice(0, i) + ch + text.slice(i + 1);
  return text.slice(0, i) + text.slice(i + 1);
});
/** Source packages already known: a null-prototype record or a parsed header's plain object. */
const known = fc.tuple(fc.dictionary(names, names, { maxKeys: 4 }), fc.boolean()).map(([d, plain]) => (plain ? { ...d } : Object.assign(Object.create(null) as Record<string, string>, d)));

type Outcome = { ok: { evras: [string, string][]; sources: [string, string][] } } | { err: { code: string; message: string } };
function outcome(f: () => LockStates): Outcome {
  try {
    const r = f();
    return { ok: { evras: [...r.evras], sources: r.sources } };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { err: { code: err.code, message: err.message } };
  }
}

describe('reading a lockfile for the history walk', () => {
  it('scans the repo usual shape to exactly what JSON.parse gives', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.oneof(lockText, usual), known, (text, k) => {
        const scanned = scanLockJson(text, k);
        if (scanned) answered++;
        if (scanned) expect(outcome(() => scanned)).toEqual(outcome(() => lockStatesViaJson(text, ctx, k)));
      }),
      { numRuns: 3000 },
    );
    // Agreement is only proven where the scanner itself answered: most of these texts are its shape.
    expect(answered).toBeGreaterThan(500);
  });

  it('never steps aside on the shape it claims: the usual shape with well-formed evras, pretty or on one line', () => {
    fc.assert(
      fc.property(usualValid, known, (text, k) => {
        const scanned = scanLockJson(text, k);
        expect(scanned, text.slice(0, 200)).not.toBeNull();
        expect(outcome(() => scanned!)).toEqual(outcome(() => lockStatesViaJson(text, ctx, k)));
        expect(LockLookup.of(text, ctx), text.slice(0, 200)).not.toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same states or the same located error as the JSON.parse reader for any text, malformed included', () => {
    fc.assert(
      fc.property(fc.oneof(lockText, usual, mutated, fc.string()), known, (text, k) => {
        expect(outcome(() => readLockStates(text, ctx, k))).toEqual(outcome(() => lockStatesViaJson(text, ctx, k)));
      }),
      { numRuns: 5000 },
    );
  });

  it('looks packages up by name in a checked text exactly as the JSON.parse reader reads them, or steps aside', () => {
    const asked = fc.array(fc.oneof(names, fc.constantFrom('evra', 'metadata', 'sourcerpm', 'digest', 'packages', 'generated', 'x86_64', '1.0-0.fc40.x86_64')), { maxLength: 6 });
    fc.assert(
      fc.property(fc.oneof(usual, lockText, mutated), asked, (text, wanted) => {
        const lookup = LockLookup.of(text, ctx);
        if (!lookup) return;
        const { evras } = lockStatesViaJson(text, ctx, {});
        for (const n of [...wanted, ...evras.keys()]) expect([n, lookup.get(n), lookup.has(n)]).toEqual([n, evras.get(n), evras.has(n)]);
        expect([...lookup.keys()]).toEqual([...evras.keys()]);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads the usual shape itself, without falling back', () => {
    const text = JSON.stringify(
      {
        packages: {
          NetworkManager: { evra: '1:1.46.2-1.9.fc40.x86_64', metadata: { sourcerpm: 'NetworkManager' } },
          'kernel-core': { evra: '6.11.3-300.fc41.x86_64', digest: 'sha256:aa' },
          tzdata: { evra: '2024a-1.fc40.noarch' },
        },
        metadata: { generated: '2024-10-23T00:00:00Z', rpmmd_repos: { fedora: { generated: '2024-04-14T18:51:11Z' } } },
      },
      null,
      2,
    );
    const got = scanLockJson(text, { NetworkManager: 'NetworkManager' });
    expect(got && [...got.evras]).toEqual([
      ['NetworkManager', '1:1.46.2-1.9.fc40.x86_64'],
      ['kernel-core', '6.11.3-300.fc41.x86_64'],
      ['tzdata', '2024a-1.fc40.noarch'],
    ]);
    expect(got?.sources).toEqual([]);
    expect(scanLockJson(text, {})?.sources).toEqual([['NetworkManager', 'NetworkManager']]);
  });

  it('names the file in the error for a malformed lockfile', () => {
    for (const text of ['', '{"packages": {"foo": {"evra": "1-1.fc40.x86_64"}', '[]', '{"packages": {"foo": {"evra": "1.0-1"}}}']) {
      expect(() => readLockStates(text, ctx, {})).toThrow(/manifest-lock\.x86_64\.json/);
    }
  });
});
