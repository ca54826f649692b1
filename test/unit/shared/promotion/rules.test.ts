import { describe, expect, it } from 'vitest';
import { disableSnoozes, isPromotionSubject, keepStreamLines, promotionSubject } from '../../../../shared/promotion/rules';

const at = { stream: 'testing', commit: 'b'.repeat(40) };

describe('disableSnoozes', () => {
  it('comments out indented snooze: and warn: lines with a value, keeping the indentation', () => {
    const r = disableSnoozes('- pattern: a\n  snooze: 2024-10-30\n  warn: true\n\tsnooze: x\n');
    expect(r.text).toBe('- pattern: a\n  # snooze: 2024-10-30 (disabled on promotion)\n  # warn: true (disabled on promotion)\n\t# snooze: x (disabled on promotion)\n');
    expect(r.lines).toEqual([2, 3, 4]);
  });

  it('leaves lines starting with # and already disabled ones as they are, so a second promotion changes nothing', () => {
    const text = '##  snooze: 2024-01-01\n  # snooze: 2024-09-01 (disabled on promotion)\n# warn: true\n';
    expect(disableSnoozes(text)).toEqual({ text, lines: [] });
    const once = disableSnoozes('  snooze: 1\n').text;
    expect(disableSnoozes(once).text).toBe(once);
  });

  it('needs indentation before and whitespace after the key, as the sed does', () => {
    const text = 'snooze: 2025-01-01\n  snooze:2024\n  snooze:\n  snoozed: no\n  - snooze: x\n';
    expect(disableSnoozes(text).lines).toEqual([]);
  });

  it('takes a trailing carriage return into the value (sed .* does) and keeps bytes that are not ASCII', () => {
    expect(disableSnoozes('  warn:   yes \r\n').text).toBe('  # warn:   yes \r (disabled on promotion)\n');
    expect(disableSnoozes('  snooze: caf\u00e9 # \u00a0\n').text).toBe('  # snooze: caf\u00e9 # \u00a0 (disabled on promotion)\n');
    // A no-break space is no indentation for sed's [[:space:]] in the C locale.
    expect(disableSnoozes('\u00a0snooze: x\n').lines).toEqual([]);
  });

  it('keeps a missing final newline missing', () => {
    expect(disableSnoozes('  snooze: x').text).toBe('  # snooze: x (disabled on promotion)');
  });
});

describe('keepStreamLines', () => {
  const source = '# args\nSTREAM=testing-devel\nDESCRIPTION="Fedora CoreOS Testing Devel"\nVERSION=42\n';
  const target = 'STREAM=testing\nDESCRIPTION="Fedora CoreOS Testing"\nVERSION=41\n';

  it("puts the target's STREAM= and DESCRIPTION= lines in the source's file and keeps the rest", () => {
    const r = keepStreamLines(source, target, at);
    expect(r.text).toBe('# args\nSTREAM=testing\nDESCRIPTION="Fedora CoreOS Testing"\nVERSION=42\n');
    expect(r.kept.map((k) => [k.key, k.line, k.own])).toEqual([
      ['STREAM', 2, 'STREAM=testing'],
      ['DESCRIPTION', 3, 'DESCRIPTION="Fedora CoreOS Testing"'],
    ]);
  });

  it('replaces every matching line of the source, and an & stands for the source line as in sed', () => {
    const r = keepStreamLines('STREAM=a\nSTREAM=b\nDESCRIPTION=x\n', 'STREAM=t\nDESCRIPTION="T & more"\n', at);
    expect(r.text).toBe('STREAM=t\nSTREAM=t\nDESCRIPTION="T DESCRIPTION=x more"\n');
  });

  it('refuses a target without the line, with several, or with a character the sed cannot take, naming the file', () => {
    expect(() => keepStreamLines(source, 'DESCRIPTION=x\n', at)).toThrow(/testing's build-args.conf \(at bbbbbbbbbbbb\) has no STREAM= line/);
    expect(() => keepStreamLines(source, 'STREAM=a\nSTREAM=b\nDESCRIPTION=x\n', at)).toThrow(/has 2 STREAM= lines/);
    expect(() => keepStreamLines(source, 'STREAM=a|b\nDESCRIPTION=x\n', at)).toThrow(/line 1: "\|" in the STREAM= line/);
    expect(() => keepStreamLines(source, 'STREAM=a\nDESCRIPTION=x\\y\n', at)).toThrow(/line 2: "\\" in the DESCRIPTION= line/);
  });
});

describe('promotionSubject', () => {
  it("is the script's subject, and the check's title test takes it", () => {
    const s = promotionSubject('testing-devel', 'a'.repeat(40));
    expect(s).toBe(`tree: promote changes from testing-devel at ${'a'.repeat(40)}`);
    expect(isPromotionSubject(s)).toBe(true);
    expect(isPromotionSubject('overrides: pin x')).toBe(false);
  });
});
