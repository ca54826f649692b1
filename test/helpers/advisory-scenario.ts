/**
 * The advisories scenario (SPEC §2.16) shared by the service and CLI tests: a repo of four
 * streams on three Fedora releases and the Bodhi updates the stand-in serves for them.
 */
import type { ListedUpdate } from './bodhi-list';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from './repo-builder';

export const CVE_SSH = 'CVE-2026-1001';
export const U = {
  ssh41: 'FEDORA-2026-5511000001',
  ssh41later: 'FEDORA-2026-5511000002',
  pod41: 'FEDORA-2026-90d0000001',
  curlOld: 'FEDORA-2026-c0c0000001',
  bashFix: 'FEDORA-2026-ba50000001',
  bashObsolete: 'FEDORA-2026-ba50000002',
  bashUnpushed: 'FEDORA-2026-ba50000003',
  nginx: 'FEDORA-2026-e0e0000001',
  ssh42: 'FEDORA-2026-5542000001',
  curl42: 'FEDORA-2026-c042000001',
};
export const FILLERS = 150;
export const filler = (i: number) => `pkg-${String(i).padStart(3, '0')}`;
export const fillerAlias = (i: number, k: number) => `FEDORA-2026-f${k}${i.toString(16).padStart(8, '0')}`;

/** Every update the stand-in knows: the cases of SPEC §2.16 plus enough to page and batch. */
export function bodhiUpdates(): ListedUpdate[] {
  const out: ListedUpdate[] = [
    { alias: U.ssh41, release: 41, status: 'testing', severity: 'high', builds: [{ nvr: 'openssh-9.8p1-3.fc41.2' }], bugs: [`${CVE_SSH} openssh: authentication bypass [fedora-all]`], submitted: '2026-11-02 09:00:00' },
    { alias: U.ssh41later, release: 41, status: 'stable', severity: 'high', builds: [{ nvr: 'openssh-9.8p1-5.fc41' }], bugs: [`${CVE_SSH} openssh: authentication bypass [fedora-41]`, 'CVE-2026-1002 openssh: another one'], submitted: '2026-11-20 09:00:00' },
    { alias: U.pod41, release: 41, status: 'stable', severity: 'urgent', builds: [{ nvr: 'podman-5.2.6-1.fc41', epoch: 5 }], bugs: ['CVE-2026-2002 podman: container escape'], submitted: '2026-11-03 09:00:00' },
    { alias: U.curlOld, release: 41, status: 'stable', severity: 'medium', builds: [{ nvr: 'curl-8.9.1-1.fc41' }], bugs: ['CVE-2026-3000 curl: old one'], submitted: '2026-09-01 09:00:00' },
    { alias: U.bashFix, release: 41, type: 'bugfix', status: 'stable', builds: [{ nvr: 'bash-5.2.37-1.fc41' }], bugs: ['CVE-2026-4000 mentioned in a bugfix'] },
    { alias: U.bashObsolete, release: 41, status: 'obsolete', builds: [{ nvr: 'bash-5.2.37-1.fc41' }], bugs: ['CVE-2026-4001 bash'] },
    { alias: U.bashUnpushed, release: 41, status: 'unpushed', builds: [{ nvr: 'bash-5.2.37-2.fc41' }], bugs: ['CVE-2026-4002 bash'] },
    { alias: U.nginx, release: 41, status: 'stable', builds: [{ nvr: 'nginx-1.26.0-1.fc41' }], bugs: ['CVE-2026-5000 nginx'] },
    { alias: U.ssh42, release: 42, status: 'stable', severity: 'high', builds: [{ nvr: 'openssh-9.9p1-2.fc42' }], bugs: [`${CVE_SSH} openssh: authentication bypass [fedora-42]`], submitted: '2026-11-02 10:00:00' },
    { alias: U.curl42, release: 42, status: 'testing', severity: 'medium', builds: [{ nvr: 'curl-8.11.0-1.fc42' }], bugs: ['CVE-2026-3003 curl: fixed on F42 only'], submitted: '2026-11-05 09:00:00' },
  ];
  for (let i = 0; i < FILLERS; i++) {
    out.push({ alias: fillerAlias(i, 1), release: 41, severity: 'low', builds: [{ nvr: `${filler(i)}-2.0-1.fc41` }], bugs: [`CVE-2026-9${String(i).padStart(3, '0')} ${filler(i)}`], submitted: `2026-10-01 00:${String(i % 60).padStart(2, '0')}:00` });
    out.push({ alias: fillerAlias(i, 2), release: 41, severity: 'low', builds: [{ nvr: `${filler(i)}-0.9-1.fc41` }], bugs: ['CVE-2025-0001 old'], submitted: '2025-01-01 00:00:00' });
  }
  return out;
}

const lock41 = (openssh: string, extra: Record<string, string> = {}) => {
  const p: Record<string, { evra: string; sourcerpm: string }> = {
    openssh: { evra: `${openssh}.x86_64`, sourcerpm: 'openssh' },
    'openssh-clients': { evra: `${openssh}.x86_64`, sourcerpm: 'openssh' },
    podman: { evra: '5:5.2.3-1.fc41.x86_64', sourcerpm: 'podman' },
    curl: { evra: '8.9.1-2.fc41.x86_64', sourcerpm: 'curl' },
    libcurl: { evra: '8.9.1-2.fc41.x86_64', sourcerpm: 'curl' },
    bash: { evra: '5.2.32-1.fc41.x86_64', sourcerpm: 'bash' },
  };
  for (const [name, evra] of Object.entries(extra)) p[name] = { evra, sourcerpm: name };
  return lockfileJson(p);
};
const aarch = (text: string) => text.replace(/\.x86_64"/g, '.aarch64"');
const fillers = () => Object.fromEntries(Array.from({ length: FILLERS }, (_, i) => [filler(i), '1.0-1.fc41.x86_64']));

export interface AdvisoryRepo {
  repo: RepoBuilder;
  /** testing-devel's commit from which openssh has been at the fix without a break. */
  sshSince: string;
}

/** The repo: testing-devel and stable on F41, next-devel on F42, rawhide on a release Bodhi refuses. */
export function advisoryRepo(): AdvisoryRepo {
  const repo = createRepo();
  repo.branch('testing-devel');
  repo.commit('lockfiles: import', { 'manifest-lock.x86_64.json': lock41('9.8p1-1.fc41.2'), 'manifest-lock.aarch64.json': aarch(lock41('9.8p1-1.fc41.2')), 'build-args.conf': 'STREAM=testing-devel\nVERSION=41\n', 'manifest-lock.overrides.yaml': overridesYaml({}) });
  repo.branch('stable');
  // stable has no build-args.conf: its release is its lockfile's .fc41.
  repo.commit('stable: no build args', { 'build-args.conf': null });
  repo.checkout('testing-devel');
  repo.commit('lockfiles: bump openssh to the fix', { 'manifest-lock.x86_64.json': lock41('9.8p1-3.fc41.2'), 'manifest-lock.aarch64.json': aarch(lock41('9.8p1-3.fc41.2')) });
  repo.commit('lockfiles: back to the old openssh', { 'manifest-lock.x86_64.json': lock41('9.8p1-1.fc41.2'), 'manifest-lock.aarch64.json': aarch(lock41('9.8p1-1.fc41.2')) });
  const sshSince = repo.commit('lockfiles: openssh 9.8p1-4', { 'manifest-lock.x86_64.json': lock41('9.8p1-4.fc41'), 'manifest-lock.aarch64.json': aarch(lock41('9.8p1-4.fc41')) });
  repo.commit('lockfiles: many more packages', { 'manifest-lock.x86_64.json': lock41('9.8p1-4.fc41', fillers()) });
  repo.branch('next-devel');
  // Most of next-devel's packages still say .fc41, but build-args.conf says 42: 42 it is, and
  // the F41 podman fix is never compared with its fc41 podman.
  repo.commit('next-devel: f42', {
    'build-args.conf': 'STREAM=next-devel\nVERSION=42\n',
    'manifest-lock.x86_64.json': lockfileJson({
      openssh: { evra: '9.9p1-1.fc42.x86_64', sourcerpm: 'openssh' },
      curl: { evra: '8.10.0-1.fc42.x86_64', sourcerpm: 'curl' },
      podman: { evra: '5:5.2.3-1.fc41.x86_64', sourcerpm: 'podman' },
      bash: { evra: '5.2.32-1.fc41.x86_64', sourcerpm: 'bash' },
      glibc: { evra: '2.40-1.fc41.x86_64', sourcerpm: 'glibc' },
    }),
    'manifest-lock.aarch64.json': null,
  });
  repo.branch('rawhide');
  repo.commit('rawhide: f99', { 'build-args.conf': 'STREAM=rawhide\nVERSION=99\n' });
  repo.checkout('testing-devel');
  return { repo, sshSince };
}

