/** The reference repo's lockfile history (../shared/fixtures), cloned once per test process. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from './tmp';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export const FIXTURE_BUNDLE = path.resolve(HERE, '../../../shared/fixtures/fcos-config-lockfiles.bundle');
export const HAVE_FIXTURE = fs.existsSync(FIXTURE_BUNDLE);
// In CI the fixture is part of the contract (../shared beside the checkout): its absence fails
// every suite that needs it instead of letting them skip and pass.
if (!HAVE_FIXTURE && process.env.CI === 'true') throw new Error(`CI=true and the fixture is missing: ${FIXTURE_BUNDLE}; CI runs with ../shared beside the checkout`);

export function fixtureSkipReason(): string {
  return `fixture missing: ${FIXTURE_BUNDLE}; these tests need ../shared beside the checkout`;
}

const warned = new Set<string>();

/** Says loudly that a suite is skipped for want of the fixture. */
export function warnIfNoFixture(suite: string): void {
  if (HAVE_FIXTURE || warned.has(suite)) return;
  warned.add(suite);
  console.warn(`SKIPPING ${suite}: ${fixtureSkipReason()}`);
}

let bare: string | null = null;
let plain: string | null = null;

/** A bare clone of the bundle: every stream as a local branch. */
export function fixtureBareRepo(): string {
  if (!bare) {
    bare = path.join(makeTempDir('lockstep-fixture-'), 'fcos.git');
    execFileSync('git', ['clone', '-q', '--bare', FIXTURE_BUNDLE, bare]);
  }
  return bare;
}

/** A maintainer's clone: testing-devel checked out, the other streams only as origin/<name>. */
export function fixturePlainClone(): string {
  if (!plain) {
    plain = path.join(makeTempDir('lockstep-fixture-'), 'fcos');
    execFileSync('git', ['clone', '-q', '-b', 'testing-devel', fixtureBareRepo(), plain]);
  }
  return plain;
}
