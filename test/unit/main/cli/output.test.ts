import { describe, expect, it } from 'vitest';
import { jsonPagesText, jsonText } from '../../../../main/cli/output';

const whole = (v: unknown) => [...jsonText(v)].join('');

describe('jsonText: printJson in pieces', () => {
  it('is JSON.stringify(value, null, 2) and a newline, byte for byte, for arrays around the batch size', () => {
    const item = (i: number) => ({ commit: `c${i}`, evr: i % 3 ? `1.${i}-1.fc40` : undefined, nested: { a: [i, 'x"\n\u2603'], empty: [], none: {} }, override: i % 2 ? null : { type: 'pin', file: 'a.yaml' } });
    for (const n of [0, 1, 63, 64, 65, 128, 129, 300]) {
      const v = Array.from({ length: n }, (_, i) => item(i));
      expect(whole(v)).toBe(`${JSON.stringify(v, null, 2)}\n`);
    }
  });

  it('keeps what JSON.stringify does with odd items: undefined and functions become null, toJSON is called, nested arrays stay empty', () => {
    const v = [...Array.from({ length: 70 }, () => [[], {}]), undefined, () => 1, { toJSON: () => 'j' }, 'ü', 3, true, null];
    expect(whole(v)).toBe(`${JSON.stringify(v, null, 2)}\n`);
  });

  it('writes a long array in more than one piece, none of them the whole', () => {
    const v = Array.from({ length: 200 }, (_, i) => ({ i }));
    const pieces = [...jsonText(v)];
    expect(pieces.length).toBeGreaterThan(3);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(whole(v).length / 2);
  });

  it('writes objects and short arrays whole', () => {
    expect([...jsonText({ a: 1 })]).toEqual(['{\n  "a": 1\n}\n']);
    expect([...jsonText([])]).toEqual(['[]\n']);
  });

  it('writes pages of items as the one array of them all, empty pages and all', () => {
    const items = Array.from({ length: 150 }, (_, i) => ({ i, s: `x${i}` }));
    const pages = [items.slice(0, 10), [], items.slice(10, 140), items.slice(140)];
    expect([...jsonPagesText(pages)].join('')).toBe(`${JSON.stringify(items, null, 2)}\n`);
    expect([...jsonPagesText([[], []])].join('')).toBe('[]\n');
    expect([...jsonPagesText([[{ a: 1 }]])].join('')).toBe(`${JSON.stringify([{ a: 1 }], null, 2)}\n`);
  });
});
