import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../../helpers/cli';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const ID = { GIT_AUTHOR_NAME: 'Ada Maintainer', GIT_AUTHOR_EMAIL: 'ada@example.org' };
const BODHI = 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638';
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';

/** Generated rpm-md metadata: repomd.xml pointing at a gzipped primary.xml. */
function rpmMd(pkgs: [string, string, string, string, string][]): Record<string, Buffer> {
  const primary = `<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="${pkgs.length}">
${pkgs
  .map(
    ([name, arch, epoch, ver, rel]) => `<package type="rpm">
  <name>${name}</name>
  <arch>${arch}</arch>
  <version epoch="${epoch}" ver="${ver}" rel="${rel}"/>
  <checksum type="sha256" pkgid="YES">0000</checksum>
  <summary>${name}</summary>
</package>`,
  )
  .join('\n')}
</metadata>
`;
  const repomd = `<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo">
  <revision>1729000000</revision>
  <data type="primary">
    <checksum type="sha256">0000</checksum>
    <location href="repodata/abc-primary.xml.gz"/>
  </data>
</repomd>
`;
  return { '/updates/40/x86_64/repodata/repomd.xml': Buffer.from(repomd), '/updates/40/x86_64/repodata/abc-primary.xml.gz': zlib.gzipSync(primary) };
}

describe('lockstep graduated', () => {
  let repo: RepoBuilder;
  let server: http.Server;
  let url: string;
  const files = rpmMd([
    ['podman', 'x86_64', '5', '5.2.6', '1.fc40'],
    ['podman', 'src', '5', '9.9', '1.fc40'],
    ['ignition', 'x86_64', '0', '2.19.0', '1.fc40'],
    ['kernel', 'x86_64', '0', '6.11.9', '200.fc40'],
  ]);

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const body = files[req.url ?? ''];
      res.writeHead(body ? 200 : 404);
      res.end(body ?? 'not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/updates/$releasever/$basearch/`;
    repo = createRepo();
    repo.branch('testing-devel');
    repo.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lockfileJson({
        podman: { evra: '5:5.2.4-1.fc40.x86_64', sourcerpm: 'podman' },
        ignition: { evra: '2.19.0-1.fc40.x86_64', sourcerpm: 'ignition' },
        'kdump-utils': { evra: '1.0.49-1.fc40.x86_64', sourcerpm: 'kdump-utils' },
        kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' },
      }),
      'manifest-lock.overrides.yaml': overridesYaml({
        podman: { evr: '5:5.2.5-1.fc40', type: 'fast-track', bodhi: BODHI },
        ignition: { evr: '2.20.0-1.fc40', type: 'fast-track', bodhi: BODHI },
        'kdump-utils': { evr: '1.0.48-1.fc40', type: 'fast-track', bodhi: BODHI, reason: REASON },
        kernel: { evr: '6.10.1-200.fc40', type: 'pin', reason: REASON },
      }),
    });
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    cleanupTempDirs();
  });

  const run = (dir: string, ...args: string[]) => runCliAsync(['graduated', '--stream', 'testing-devel', '--repo', dir, ...args], { env: ID });

  it('reads the repos when online: graduated, not yet, base newer; pins never graduate', async () => {
    const r = await run(repo.dir, '--repo-url', url, '--json');
    expect(r.stderr).toBe('');
    const rows = JSON.parse(r.stdout) as { name: string; status: string; source: string | null; checked: string | null }[];
    expect(rows.map((x) => [x.name, x.status, x.source])).toEqual([
      ['ignition', 'not-yet', 'repo-metadata'],
      ['kdump-utils', 'graduated', 'base-newer'],
      ['podman', 'graduated', 'repo-metadata'],
    ]);
    expect(rows[0].checked).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('answers from the cache offline, saying so, and "unknown" with no cache', async () => {
    const offline = await run(repo.dir, '--repo-url', url, '--offline');
    expect(offline.stdout).toMatch(/podman\s+5:5.2.5-1.fc40\s+graduated\s+repo-metadata/);
    expect(offline.stdout).toMatch(/from the cache, less than an hour old/);
    const fresh = path.join(makeTempDir(), 'fresh');
    execFileSync('git', ['clone', '-q', repo.dir, fresh]);
    const dead = await run(fresh, '--repo-url', 'http://127.0.0.1:9/nothing/', '--json');
    expect(dead.stderr).toMatch(/could not read the repos/);
    const rows = JSON.parse(dead.stdout) as { name: string; status: string }[];
    expect(rows.map((x) => [x.name, x.status])).toEqual([
      ['ignition', 'unknown'],
      ['kdump-utils', 'graduated'],
      ['podman', 'unknown'],
    ]);
  });

  it('drafts the removal of the graduated ones as one commit with the bot title', async () => {
    const r = await run(repo.dir, '--repo-url', url, '--draft');
    expect(r.status).toBe(0);
    const branch = r.stdout.trim().split('\n').pop()!;
    expect(branch).toBe('lockstep/testing-devel/drop-graduated');
    expect(repo.git('log', '-1', '--format=%s', branch)).toBe('lockfiles: drop graduated overrides 🎓');
    const text = repo.git('show', `${branch}:manifest-lock.overrides.yaml`);
    expect(text).not.toContain('podman:');
    expect(text).not.toContain('kdump-utils:');
    expect(text).toContain('ignition:');
    expect(text).toContain('kernel:');
  });
});
