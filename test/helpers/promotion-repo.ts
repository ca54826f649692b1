/**
 * A config repo for promotions, built in code, in the two shapes upstream has had: 2024 (no
 * build-args.conf) and 2026 (build-args.conf with STREAM=, DESCRIPTION=, VERSION=,
 * BUILDER_IMG=). Every stream has its own manifest.yaml; kola-denylist.yaml holds indented
 * snooze:/warn: lines (tab and CRLF ones too), `##`-commented ones that must stay, and lines the
 * sed must not take; a gitlink (coreos-assembler) points into a local submodule repo.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from './repo-builder';
import { makeTempDir } from './tmp';

export type Shape = '2024' | '2026';

export const DENYLIST_DEV = [
  '# This file documents currently known-to-fail kola tests.',
  '## Snoozes commented by hand stay as they are:',
  '##  snooze: 2024-01-01',
  '- pattern: ext.config.shared.networking.nm-ethernet',
  '  tracker: https://github.com/coreos/fedora-coreos-tracker/issues/1',
  '  snooze: 2024-10-30',
  '  warn: true',
  '  streams:',
  '    - testing-devel',
  '- pattern: coreos.ignition.ssh.key',
  '  tracker: https://github.com/coreos/fedora-coreos-tracker/issues/2',
  '  # snooze: 2024-09-01 (disabled on promotion)',
  '  snooze:2024-12-24',
  '  snooze:',
  '- pattern: ext.config.kdump.crash',
  '\tsnooze: 2024-11-15',
  '  warn:   yes   \r',
  'snooze: 2025-01-01',
  '      snooze: 2024-12-01 # nested',
  '- pattern: ext.config.latin1 caf\u00e9',
  '  warn: true',
  '',
].join('\n');

const DENYLIST_PROD = '# This file documents currently known-to-fail kola tests.\n- pattern: ext.config.shared.networking.nm-ethernet\n  tracker: https://github.com/coreos/fedora-coreos-tracker/issues/1\n  # snooze: 2024-10-30 (disabled on promotion)\n';

export const manifestOf = (stream: string) => `ref: fedora/\${basearch}/coreos/${stream}\ninclude: manifests/fedora-coreos.yaml\n${stream.endsWith('devel') ? '' : 'variables:\n  prod: true\n'}`;

const DESCRIPTIONS: Record<string, string> = {
  'testing-devel': '"Fedora CoreOS Testing Devel"',
  // An & in the target's line: sed puts the source's whole line there. The oracle's real sed says so.
  testing: '"Fedora CoreOS Testing & Friends"',
  stable: '"Fedora CoreOS Stable"',
};

export const buildArgs = (stream: string, version: number, builder = 'quay.io/coreos-assembler/fcos-buildroot:testing-devel') =>
  `# Arguments for the container build\nSTREAM=${stream}\nDESCRIPTION=${DESCRIPTIONS[stream]}\nVERSION=${version}\nBUILDER_IMG=${builder}\n`;

const lock = (bash: string, kernel: string) =>
  lockfileJson({ bash: { evra: `${bash}.x86_64`, sourcerpm: 'bash' }, kernel: { evra: `${kernel}.x86_64`, sourcerpm: 'kernel' }, 'kernel-core': { evra: `${kernel}.x86_64`, sourcerpm: 'kernel' } });

export interface PromotionRepo {
  repo: RepoBuilder;
  /** The submodule repo (its commits are what the gitlink names). */
  submodule: string;
  /** testing-devel's commits: [first, second, head]. */
  devel: string[];
}

/**
 * testing-devel → testing → stable. testing is one promotion behind testing-devel: the bash
 * bump, a new test, a denylist entry, a newer gitlink, an exec bit and a file testing alone has.
 */
export function promotionRepo(shape: Shape): PromotionRepo {
  const root = makeTempDir('lockstep-promote-');
  const sub = createRepo(path.join(root, 'coreos-assembler'));
  sub.branch('main');
  const subOld = sub.commit('cosa: one', { 'README.md': 'cosa\n' });
  const subNew = sub.commit('cosa: two', { 'README.md': 'cosa two\n' });

  const repo = createRepo(path.join(root, 'fedora-coreos-config'));
  const args = (stream: string, v = 41): Record<string, string> => (shape === '2026' ? { 'build-args.conf': buildArgs(stream, v) } : {});
  repo.branch('testing-devel');
  repo.gitlink('coreos-assembler', subOld);
  const first = repo.commit('import', {
    'manifest-lock.x86_64.json': lock('5.2.26-3.fc41', '6.11.4-301.fc41'),
    'manifest-lock.overrides.yaml': overridesYaml({}),
    'manifest.yaml': manifestOf('testing-devel'),
    'kola-denylist.yaml': DENYLIST_PROD,
    '.gitmodules': `[submodule "coreos-assembler"]\n\tpath = coreos-assembler\n\turl = ${sub.dir}\n`,
    'manifests/fedora-coreos.yaml': 'include: fedora-coreos-base.yaml\n',
    'tests/kola/basic/test.sh': '#!/bin/bash\ntrue\n',
    ...args('testing-devel'),
  });
  for (const stream of ['testing', 'stable']) {
    repo.branch(stream);
    repo.commit(`tree: promote changes from testing-devel at ${first}`, { 'manifest.yaml': manifestOf(stream), 'only-on-production.txt': `${stream}\n`, ...args(stream) });
    repo.checkout('testing-devel');
  }
  repo.gitlink('coreos-assembler', subNew);
  const second = repo.commit('lockfiles: bump bash; denylist: snooze the flaky ones', {
    'manifest-lock.x86_64.json': lock('5.2.32-1.fc41', '6.11.4-301.fc41'),
    // One byte that is not UTF-8 (Latin-1 é): the promotion keeps every byte.
    'kola-denylist.yaml': Buffer.from(DENYLIST_DEV, 'latin1'),
    'tests/kola/basic/new-test.sh': '#!/bin/bash\nexit 0\n',
    'manifests/fedora-coreos.yaml': 'include: fedora-coreos-base.yaml\nrecommends: false\n',
    ...args('testing-devel', 42),
  });
  fs.chmodSync(path.join(repo.dir, 'tests/kola/basic/new-test.sh'), 0o755);
  repo.commit('tests: make new-test executable', {});
  const head = repo.commit('lockfiles: bump kernel', { 'manifest-lock.x86_64.json': lock('5.2.32-1.fc41', '6.11.5-300.fc41') });
  return { repo, submodule: sub.dir, devel: [first, second, head] };
}

/**
 * The oracle: release engineering's promotion steps run with the real git and sed on a clone
 * with `target` checked out, as `LOCAL=1 promote-config.sh <source>` would (the source commit
 * as `at`). Returns the tree `git add -A` staged, or null for "nothing to promote!".
 */
export function oraclePromotion(repo: RepoBuilder, source: string, target: string, at: string = repo.rev(source)): string | null {
  const work = path.join(makeTempDir('lockstep-oracle-'), 'work');
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: path.dirname(work), LC_ALL: 'C.UTF-8' };
  execFileSync('git', ['clone', '-q', '-b', target, repo.dir, work], { env, stdio: 'pipe' });
  const script = `set -euo pipefail
fetch_head=$1
head=$(git rev-parse HEAD)
has_args=; [ -e build-args.conf ] && has_args=1
if [ -n "$has_args" ]; then
  stream=$(grep '^STREAM=' build-args.conf)
  description=$(grep '^DESCRIPTION=' build-args.conf)
fi
git reset -q --hard "$fetch_head"
git -c protocol.file.allow=always submodule -q update --init
git reset -q "$head"
git checkout -- manifest.yaml
if [ -n "$has_args" ]; then
  sed -i "s|^STREAM=.*|\${stream}|" build-args.conf
  sed -i "s|^DESCRIPTION=.*|\${description}|" build-args.conf
fi
sed -E -i 's/^(\\s+)((snooze:|warn:)\\s+.*)/\\1# \\2 (disabled on promotion)/' kola-denylist.yaml
git -c advice.addEmbeddedRepo=false add -A
if git diff --quiet --staged --exit-code; then echo NOTHING; exit 0; fi
git write-tree
`;
  const out = execFileSync('bash', ['-c', script, 'oracle', at], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
  return out === 'NOTHING' ? null : out;
}
