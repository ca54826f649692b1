import { describe, expect, it } from 'vitest';
import { diffSnapshots, diffToJson } from '../../../shared/lockfile/diff';
import { effectiveLock } from '../../../shared/lockfile/effective';
import { parseLockfile } from '../../../shared/lockfile/manifest-lock';
import { parseOverrides, parseOverridesWithYaml } from '../../../shared/lockfile/overrides';
import { buildSnapshot } from '../../../shared/lockfile/snapshot';
import { planDraft } from '../../../shared/drafts/plan';
import { copyRecord, hasName, nameRecord, own } from '../../../shared/records';

// Names that are members of Object.prototype, or its setter.
const HOSTILE = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

const lock = (evr: string) =>
  JSON.stringify({ packages: Object.fromEntries([...HOSTILE, 'podman'].map((n) => [n, { evra: `${evr}.x86_64`, metadata: { sourcerpm: n } }])) });

const overrides = (names: string[], evr: string) =>
  `packages:\n${names.map((n) => `  ${n}:\n    evr: ${evr}\n    metadata:\n      reason: https://example.org/1\n      type: pin\n`).join('')}`;

describe('records keyed by names', () => {
  it('reads only own keys', () => {
    const r = nameRecord<number>();
    expect(own(r, 'constructor')).toBeUndefined();
    expect(own({} as Record<string, number>, 'toString')).toBeUndefined();
    r.__proto__ = 1;
    expect(own(r, '__proto__')).toBe(1);
    expect(Object.keys(r)).toEqual(['__proto__']);
    expect(hasName(copyRecord(r), '__proto__')).toBe(true);
  });
});

describe('package names that are JavaScript object keys', () => {
  it('parse as packages in lockfiles and override files', () => {
    const lf = parseLockfile(lock('1.0-1.fc40'), 'x86_64', 'json', { file: 'manifest-lock.x86_64.json' });
    expect(Object.keys(lf.packages).sort()).toEqual([...HOSTILE, 'podman'].sort());
    expect(lf.packages.__proto__.evr).toBe('1.0-1.fc40');
    for (const parse of [parseOverrides, parseOverridesWithYaml]) {
      const o = parse(overrides(HOSTILE, '2.0-1.fc40'), { file: 'manifest-lock.overrides.yaml' });
      expect(Object.keys(o.entries).sort()).toEqual([...HOSTILE].sort());
      expect(own(o.entries, '__proto__')?.evr).toBe('2.0-1.fc40');
    }
  });

  it('diff and apply overrides like any other name', () => {
    const a = buildSnapshot('a'.repeat(40), [{ name: 'manifest-lock.x86_64.json', text: lock('1.0-1.fc40') }]);
    const b = buildSnapshot('b'.repeat(40), [
      { name: 'manifest-lock.x86_64.json', text: lock('1.1-1.fc40') },
      { name: 'manifest-lock.overrides.yaml', text: overrides(['constructor', 'nothere'], '0.9-1.fc40') },
    ]);
    const eff = effectiveLock(b, 'x86_64');
    expect(own(eff.packages, 'constructor')?.evr).toBe('0.9-1.fc40');
    expect(eff.inert.map((o) => o.name)).toEqual(['nothere']);
    const json = diffToJson(diffSnapshots(a, b));
    expect(Object.keys(json.x86_64.upgraded).sort()).toEqual(HOSTILE.filter((n) => n !== 'constructor').concat('podman').sort());
    expect(json.x86_64.downgraded).toEqual(Object.assign(nameRecord(), { constructor: ['1.0-1.fc40', '0.9-1.fc40'] }));
    expect(JSON.parse(JSON.stringify(json)).x86_64.upgraded.__proto__).toEqual(['1.0-1.fc40', '1.1-1.fc40']);
  });

  it('plan pins and unpins without reading inherited members', () => {
    const head = buildSnapshot('c'.repeat(40), [
      { name: 'manifest-lock.x86_64.json', text: lock('1.0-1.fc40') },
      { name: 'manifest-lock.overrides.yaml', text: overrides(['toString'], '1.0-1.fc40') },
    ]);
    const pin = planDraft({ action: 'pin', head, requests: [{ name: '__proto__', evr: '1.2-1.fc40' }], reason: 'https://example.org/1' });
    expect(Object.keys(pin.packages)).toEqual(['__proto__']);
    const unpin = planDraft({ action: 'unpin', head, requests: [{ name: 'toString' }] });
    expect(unpin.srpms).toEqual(['toString-1.0-1.fc40']);
    expect(() => planDraft({ action: 'unpin', head, requests: [{ name: 'constructor' }] })).toThrow(/no override on this stream names it/);
    expect(() => planDraft({ action: 'pin', head, requests: [{ name: 'valueOf', evr: '1-1' }], arch: 'constructor', reason: 'https://example.org/1' })).toThrow(/has no manifest-lock.constructor.json/);
  });
});
