/**
 * The demo repo pinned to its commit ids: the generator is deterministic for a fixed `now`,
 * and a commit id covers its tree, message, authors and whole ancestry. A change that alters
 * any commit, file or message of the demo fails here; if it is meant, record the new ids.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createDemoRepo } from '../../../main/services/demo';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { maxBuffer: 1 << 28 }).toString().trim();

async function demo(now?: Date) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-demo-pin-'));
  dirs.push(root);
  const dir = path.join(root, 'demo');
  await createDemoRepo(dir, now ? { now } : {});
  const refs = git(dir, 'for-each-ref', '--format=%(objectname) %(refname)');
  const log = git(dir, 'log', '--all', '--date-order', '--format=%H%n%T');
  return { refs, log: createHash('sha256').update(log).digest('hex') };
}

it('generates the same commits as recorded (default now)', async () => {
  const { refs, log } = await demo();
  expect(refs).toBe(DEFAULT_REFS);
  expect(log).toBe(DEFAULT_LOG);
});

it('generates the same commits as recorded (another now)', async () => {
  const { refs, log } = await demo(new Date('2025-06-15T08:00:00Z'));
  expect(refs).toBe(OTHER_REFS);
  expect(log).toBe(OTHER_LOG);
});

const DEFAULT_REFS = [
  '3253db7877278de9054cb98bd144228754c9dfc4 refs/heads/next',
  'af96a2e644386ef011af2c989a503fe60c60363a refs/heads/next-devel',
  '497c3450d525d50fcf14bf80014f6050692813fc refs/heads/rawhide',
  'fdcd00ecdfde089400fc445322a29799aab9a3c4 refs/heads/stable',
  'c77652800d7d83e2954e40d7e69bad81fdf8d3a1 refs/heads/testing',
  '5da191aa0153f83bdac28c73ffd651fb5b4b3eca refs/heads/testing-devel',
  '5da191aa0153f83bdac28c73ffd651fb5b4b3eca refs/remotes/origin/HEAD',
  '3253db7877278de9054cb98bd144228754c9dfc4 refs/remotes/origin/next',
  'af96a2e644386ef011af2c989a503fe60c60363a refs/remotes/origin/next-devel',
  '497c3450d525d50fcf14bf80014f6050692813fc refs/remotes/origin/rawhide',
  'fdcd00ecdfde089400fc445322a29799aab9a3c4 refs/remotes/origin/stable',
  'c77652800d7d83e2954e40d7e69bad81fdf8d3a1 refs/remotes/origin/testing',
  '5da191aa0153f83bdac28c73ffd651fb5b4b3eca refs/remotes/origin/testing-devel',
].join('\n');
const DEFAULT_LOG = '9ec87217c18e73ccc4c2fbbb266a650be76a2445061ef8199f2b1cad1962d5dd';
const OTHER_REFS = [
  '64303c8229c13faaa4f8d116360d240d74222e6a refs/heads/next',
  '5775975ca7a5b1672a59ecb72d42bfe49d7accd7 refs/heads/next-devel',
  'e0b63ea5f65d22e755bb79ed7e15776ba09308da refs/heads/rawhide',
  '8fb2f3c8e36ca893243e79633473e449f20f751e refs/heads/stable',
  '6ba24019a1961b926c3f09f6a485f6c83a2e78d8 refs/heads/testing',
  '359d2e0098a7a70f97c3a7af7a8172856d7bec36 refs/heads/testing-devel',
  '359d2e0098a7a70f97c3a7af7a8172856d7bec36 refs/remotes/origin/HEAD',
  '64303c8229c13faaa4f8d116360d240d74222e6a refs/remotes/origin/next',
  '5775975ca7a5b1672a59ecb72d42bfe49d7accd7 refs/remotes/origin/next-devel',
  'e0b63ea5f65d22e755bb79ed7e15776ba09308da refs/remotes/origin/rawhide',
  '8fb2f3c8e36ca893243e79633473e449f20f751e refs/remotes/origin/stable',
  '6ba24019a1961b926c3f09f6a485f6c83a2e78d8 refs/remotes/origin/testing',
  '359d2e0098a7a70f97c3a7af7a8172856d7bec36 refs/remotes/origin/testing-devel',
].join('\n');
const OTHER_LOG = '783315fc72ef2b5e9285eb1b985242d85467d516b0c960981d818936fa6372c9';
