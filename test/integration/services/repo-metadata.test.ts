import { execFileSync, spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchRepoVersions } from '../../../main/services/fedora/repo-metadata';

const HAVE_ZSTD = !spawnSync('zstd', ['--version']).error;
if (!HAVE_ZSTD && process.env.CI === 'true') throw new Error('CI=true and the zstd command is missing: .ci/run installs it');
if (!HAVE_ZSTD) console.warn('SKIPPING the .zst metadata test: the zstd command is missing (apt-get install zstd)');

describe('rpm-md metadata', () => {
  const servers: http.Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  async function serve(files: Record<string, Buffer>): Promise<string> {
    const server = http.createServer((req, res) => {
      const body = files[req.url ?? ''];
      res.writeHead(body ? 200 : 404);
      res.end(body ?? '');
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/repo/`;
  }

  it.skipIf(!HAVE_ZSTD)('reads zstd-compressed primary metadata, keeping the newest version of each package', async () => {
    const primary = `<metadata><package type="rpm"><name>podman</name><arch>x86_64</arch><version epoch="5" ver="5.2.5" rel="1.fc40"/></package>
<package type="rpm"><name>podman</name><arch>x86_64</arch><version epoch="5" ver="5.2.10" rel="1.fc40"/></package>
<package type="rpm"><name>tzdata</name><arch>noarch</arch><version epoch="0" ver="2024b" rel="1.fc40"/></package></metadata>`;
    const zst = execFileSync('zstd', ['-q', '-c'], { input: primary });
    const url = await serve({
      '/repo/repodata/repomd.xml': Buffer.from('<repomd><data type="primary"><location href="repodata/x-primary.xml.zst"/></data></repomd>'),
      '/repo/repodata/x-primary.xml.zst': zst,
    });
    const v = await fetchRepoVersions([url]);
    expect(v.versions).toEqual({ podman: '5:5.2.10-1.fc40', tzdata: '2024b-1.fc40' });
  });

  it('fails with a clear network error when the repo is missing', async () => {
    const url = await serve({});
    await expect(fetchRepoVersions([url])).rejects.toThrow(/repomd.xml: HTTP 404/);
  });
});
