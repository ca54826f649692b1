/**
 * A small config repo with the reference repo's seven streams, built in code, so the clone →
 * streams → diff flow is covered without ../shared/fixtures. Its stable → testing-devel diff is
 * known exactly (see SYNTHETIC).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { tempDir } from './app';

const ARCHES = ['x86_64', 'aarch64', 'ppc64le', 's390x'] as const;
type Arch = (typeof ARCHES)[number];

interface Versions {
  kernel: string;
  podman: string;
  crun: string;
  /** ostree-grub2 is noarch once testing-devel moves (same EVR: an arch change). */
  grubNoarch: boolean;
  /** nano-default-editor is dropped, bootc added. */
  newer: boolean;
  bulk: string;
}

function lock(arch: Arch, v: Versions, bulk: number): string {
  const pkgs: Record<string, { evra: string; sourcerpm: string }> = {};
  const add = (name: string, evr: string, sourcerpm: string, a: string = arch) => (pkgs[name] = { evra: `${evr}.${a}`, sourcerpm });
  for (const b of ['kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-core']) add(b, v.kernel, 'kernel');
  add('podman', v.podman, 'podman');
  add('crun', v.crun, 'crun');
  add('tzdata', '2024a-5.fc40', 'tzdata', 'noarch');
  add('rpm-ostree', '2024.8-1.fc40', 'rpm-ostree');
  add('rpm-ostree-libs', '2024.8-1.fc40', 'rpm-ostree');
  if (arch === 'x86_64') add('grub2-pc', '1:2.12-4.fc40', 'grub2');
  if (arch === 'x86_64' || arch === 'aarch64') add('ostree-grub2', '2024.8-1.fc40', 'ostree', v.grubNoarch ? 'noarch' : arch);
  if (v.newer) add('bootc', '1.1.0-1.fc40', 'bootc');
  else add('nano-default-editor', '7.2-7.fc40', 'nano', 'noarch');
  for (let i = 0; i < 24; i++) add(`lib${String(i).padStart(2, '0')}`, `1.${i}-1.fc40`, `lib${String(i).padStart(2, '0')}`);
  for (let i = 0; i < bulk; i++) add(`bulk-${String(i).padStart(4, '0')}`, v.bulk, `bulk-src-${String(Math.floor(i / 3)).padStart(4, '0')}`);
  return lockfileJson(pkgs);
}

const lockfiles = (v: Versions, bulk: number) => Object.fromEntries(ARCHES.map((a) => [`manifest-lock.${a}.json`, lock(a, v, bulk)]));

const OLD: Versions = { kernel: '6.10.12-200.fc40', podman: '5:5.2.3-1.fc40', crun: '1.17-1.fc40', grubNoarch: false, newer: false, bulk: '1.0-1.fc40' };
const NEW: Versions = { kernel: '6.11.4-201.fc40', podman: '5:5.2.4-1.fc40', crun: '1.16.1-1.fc40', grubNoarch: true, newer: true, bulk: '1.1-1.fc40' };

const GRUB_PIN = { 'grub2-pc': { evr: '1:2.12-4.fc40', type: 'pin' as const, reason: 'https://github.com/coreos/fedora-coreos-tracker/issues/1' } };
const PODMAN_FT = { podman: { evr: '5:5.2.5-1.fc40', type: 'fast-track' as const, bodhi: 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638', reason: 'https://github.com/coreos/fedora-coreos-tracker/issues/2' } };

/** What the UI must show for this repo (bulk = 0). */
export const SYNTHETIC = {
  streams: ['testing-devel', 'testing', 'stable', 'next-devel', 'next', 'rawhide', 'branched'],
  /** stable → testing-devel, All arches: packages per kind. */
  all: { added: 1, removed: 1, upgraded: 5, downgraded: 1, arch_changed: 1, packages: 9 },
  /** stable → testing-devel on aarch64. */
  aarch64: { added: 1, removed: 1, upgraded: 5, downgraded: 1, arch_changed: 1, packages: 9 },
  /** on ppc64le: no ostree-grub2 there. */
  ppc64le: { added: 1, removed: 1, upgraded: 5, downgraded: 1, arch_changed: 0, packages: 8 },
  kernel: { from: '6.10.12-200.fc40', to: '6.11.4-201.fc40', binaries: 4 },
  podman: { from: '5:5.2.3-1.fc40', to: '5:5.2.5-1.fc40' },
} as const;

/** Builds the repo; with `bulk`, that many more packages move on every arch (1,200+ rows for the virtualized list). */
export function buildSyntheticRepo(opts: { bulk?: number; dir?: string } = {}): RepoBuilder {
  const bulk = opts.bulk ?? 0;
  const repo = createRepo(opts.dir ?? path.join(tempDir('lockstep-e2e-src-'), 'fedora-coreos-config'));
  repo.branch('testing-devel');
  repo.commit('lockfiles: import', { ...lockfiles(OLD, bulk), 'manifest-lock.overrides.yaml': overridesYaml(GRUB_PIN) });
  repo.branch('stable');
  repo.branch('testing');
  repo.checkout('testing-devel');
  const bump = repo.commit('lockfiles: bump to latest', lockfiles(NEW, bulk));
  repo.commit('overrides: fast-track podman-5.2.5-1.fc40', { 'manifest-lock.overrides.yaml': overridesYaml({ ...GRUB_PIN, ...PODMAN_FT }) });
  // testing took testing-devel's bump, but not yet the fast-track; stable is one promotion behind testing.
  repo.checkout('testing');
  repo.commit(`tree: promote changes from testing-devel at ${bump}`, { ...lockfiles(NEW, bulk) });
  repo.checkout('testing-devel');
  repo.branch('next-devel');
  repo.commit('lockfiles: bump timestamp', { ...lockfiles({ ...NEW, kernel: '6.11.5-200.fc41' }, bulk) });
  repo.branch('next');
  // rawhide and branched hold only the override file.
  const onlyOverrides = Object.fromEntries(ARCHES.map((a) => [`manifest-lock.${a}.json`, null]));
  repo.checkout('testing-devel');
  repo.branch('rawhide', repo.rev('testing-devel~2'));
  repo.commit('lockfiles: drop graduated overrides', { ...onlyOverrides, 'manifest-lock.overrides.yaml': overridesYaml({}) });
  repo.checkout('testing-devel');
  repo.branch('branched', repo.rev('testing-devel~2'));
  repo.commit('overrides: pin grub2', { ...onlyOverrides });
  repo.checkout('testing-devel');
  return repo;
}

/** A bare clone of the synthetic repo under `root`, served with testing-devel as HEAD. */
export function serveSyntheticRepo(root: string, name = 'fedora-coreos-config.git'): string {
  const repo = buildSyntheticRepo();
  const bare = path.join(root, name);
  repo.bareClone(bare);
  execFileSync('git', ['--git-dir', bare, 'symbolic-ref', 'HEAD', 'refs/heads/testing-devel']);
  return bare;
}
