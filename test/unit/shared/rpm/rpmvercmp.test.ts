import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareEvr } from '../../../../shared/rpm/nevra';
import { rpmvercmp } from '../../../../shared/rpm/rpmvercmp';

const CASES = path.resolve(__dirname, '../../../../../shared/testdata/rpmvercmp-cases.tsv');
const HAVE_CASES = fs.existsSync(CASES);
if (!HAVE_CASES && process.env.CI === 'true') throw new Error(`CI=true and rpm's own test vectors are missing: ${CASES}`);
if (!HAVE_CASES) console.warn(`SKIPPING rpm's own test vectors: ${CASES} is missing (needs ../shared beside the checkout)`);

function readCases(): { section: string; a: string; b: string; expected: number; line: number }[] {
  const out: { section: string; a: string; b: string; expected: number; line: number }[] = [];
  let section = 'vercmp';
  fs.readFileSync(CASES, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const s = /^#@section\s+(\S+)/.exec(line);
      if (s) section = s[1];
      if (line.startsWith('#') || line.trim() === '') return;
      const [a, b, expected] = line.split('\t');
      out.push({ section, a, b, expected: Number(expected), line: i + 1 });
    });
  return out;
}

describe.skipIf(!HAVE_CASES)("rpm's own test vectors", () => {
  const cases = HAVE_CASES ? readCases() : [];

  it('has cases in both sections', () => {
    expect(cases.filter((c) => c.section === 'vercmp').length).toBeGreaterThan(10);
    expect(cases.filter((c) => c.section === 'evr').length).toBeGreaterThan(3);
  });

  it.each(cases.map((c) => [c.section, c.a, c.b, c.expected] as const))('%s(%s, %s) = %i', (section, a, b, expected) => {
    const got = section === 'evr' ? compareEvr(a, b) : rpmvercmp(a, b);
    expect(got).toBe(expected);
  });
});

describe('rpmvercmp', () => {
  it.each([
    ['6.10.12', '6.9.12', 1],
    ['1.0~rc1', '1.0', -1],
    ['1.0~rc1', '1.0~rc2', -1],
    ['1.0^git1', '1.0', 1],
    ['1.0^git1', '1.0.1', -1],
    ['1.02', '1.2', 0],
    ['9.6p1', '9.6', 1],
    ['1.0a', '1.0', 1],
    ['a', '1', -1],
    ['fc40', 'fc41', -1],
    ['1.fc40.4', '1.fc40', 1],
    ['', '', 0],
    ['1_0', '1.0', 0],
  ])('compares %s with %s as %i', (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(expected);
    expect(rpmvercmp(b, a)).toBe(-expected === 0 ? 0 : -expected);
  });
});
