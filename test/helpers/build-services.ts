/**
 * Stand-ins for Fedora's build services, on 127.0.0.1, answering in their documented shapes.
 *
 * Bodhi (REST, JSON), checked against:
 * - https://bodhi.fedoraproject.org/docs/server_api/rest/updates.html — "Update service at
 *   /updates/{id}": GET returns a single update from an id or alias; "/updates/" searches
 *   (alias, builds, packages, releases, page, rows_per_page...).
 * - https://github.com/fedora-infra/bodhi/blob/develop/bodhi-server/bodhi/server/services/updates.py
 *   — get_update returns {update, can_edit, ci_allowed}; query_updates returns {updates, page,
 *   pages, rows_per_page, total, ...}.
 * - .../bodhi/server/validators.py validate_update_id — an unknown id is HTTP 404 with
 *   errors.add('url', 'id', 'Invalid update id'), rendered by cornice as
 *   {"status": "error", "errors": [{"location": "url", "name": "id", "description": "Invalid update id"}]}.
 * - .../bodhi/server/models.py — Update's JSON adds `url` (base_address + updates/<alias>);
 *   Release has name 'F40', version '40', id_prefix 'FEDORA', branch 'f40', dist_tag 'f40'.
 *
 * Koji (XML-RPC hub), checked against:
 * - https://koji.fedoraproject.org/koji/api — the hub's method list (getBuild, listBuildRPMs).
 * - https://github.com/koji-project/koji/blob/master/kojihub/kojihub.py (mirror of pagure.io/koji) — listBuildRPMs(build): "A list of
 *   maps is returned, each map containing: id, name, version, release, arch, epoch, draft,
 *   payloadhash, size, buildtime, build_id, buildroot_id"; a build NVR it cannot find raises
 *   GenericError "No such build: %r" (findBuildID strict), i.e. a fault with faultCode 1000
 *   (koji.GenericError.faultCode) and faultString str(e); get_build returns None (`<nil/>`,
 *   the hub marshals with allow_none) for an unknown build when not strict.
 *
 * rpm-md for the build pool: repodata/repomd.xml naming a gzipped primary.xml.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

export interface Served {
  url: string;
  /** Request paths (Bodhi, rpm-md) or `method(param)` (Koji), in order. */
  requests: string[];
  stop(): Promise<void>;
}

async function listen(handler: http.RequestListener, requests: string[]): Promise<Served> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface BodhiUpdateSpec {
  alias: string;
  builds: string[];
  release?: { name: string; version: string; dist_tag: string };
}

/** A Bodhi update as Bodhi serializes it (the fields a client reads, plus a few it ignores). */
export function bodhiUpdateJson(u: BodhiUpdateSpec) {
  const release = u.release ?? { name: 'F40', version: '40', dist_tag: 'f40' };
  return {
    alias: u.alias,
    title: u.builds.join(' '),
    url: `https://bodhi.fedoraproject.org/updates/${u.alias}`,
    status: 'testing',
    type: 'bugfix',
    builds: u.builds.map((nvr, i) => ({ nvr, epoch: 0, release_id: 40, signed: true, type: 'rpm', id: 1000 + i })),
    release: { ...release, long_name: `Fedora ${release.version}`, id_prefix: 'FEDORA', branch: `f${release.version}`, state: 'current' },
    user: { name: 'packager' },
  };
}

export function startBodhi(updates: BodhiUpdateSpec[]): Promise<Served> {
  const requests: string[] = [];
  const byAlias = new Map(updates.map((u) => [u.alias, bodhiUpdateJson(u)]));
  return listen((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const one = /^\/updates\/([^/]+)\/?$/.exec(url.pathname);
    if (url.pathname === '/updates/' || url.pathname === '/updates') {
      const wanted = url.searchParams.getAll('alias');
      const hits = [...byAlias.values()].filter((u) => wanted.length === 0 || wanted.includes(u.alias));
      return send(200, { updates: hits, page: 1, pages: 1, rows_per_page: 20, total: hits.length, chrome: true, display_user: true, display_request: true, package: null });
    }
    if (one) {
      const u = byAlias.get(decodeURIComponent(one[1]));
      if (u) return send(200, { update: u, can_edit: false, ci_allowed: false });
      return send(404, { status: 'error', errors: [{ location: 'url', name: 'id', description: 'Invalid update id' }] });
    }
    send(404, { status: 'error', errors: [{ location: 'url', name: 'path', description: 'Not Found' }] });
  }, requests);
}

export interface KojiRpm {
  name: string;
  version: string;
  release: string;
  epoch: number | null;
  arch: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** XML-RPC values the way Python's marshaller (allow_none) writes them. */
function xmlValue(v: unknown): string {
  if (v === null || v === undefined) return '<value><nil/></value>';
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  if (typeof v === 'number') return Number.isInteger(v) ? (Math.abs(v) > 2 ** 31 - 1 ? `<value><i8>${v}</i8></value>` : `<value><int>${v}</int></value>`) : `<value><double>${v}</double></value>`;
  if (typeof v === 'string') return `<value><string>${esc(v)}</string></value>`;
  if (Array.isArray(v)) return `<value><array><data>\n${v.map(xmlValue).join('\n')}\n</data></array></value>`;
  return `<value><struct>\n${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `<member>\n<name>${esc(k)}</name>\n${xmlValue(x)}\n</member>`)
    .join('\n')}\n</struct></value>`;
}

const response = (v: unknown) => `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n${xmlValue(v)}\n</param>\n</params>\n</methodResponse>\n`;
const fault = (code: number, s: string) => `<?xml version='1.0'?>\n<methodResponse>\n<fault>\n${xmlValue({ faultCode: code, faultString: s })}\n</fault>\n</methodResponse>\n`;

/** `states`: a build's Koji state (1 COMPLETE by default, 2 DELETED...); `faults`: an NVR whose calls fault. */
export function startKoji(builds: Record<string, KojiRpm[]>, opts: { states?: Record<string, number>; faults?: Record<string, string> } = {}): Promise<Served> {
  const requests: string[] = [];
  return listen((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const method = /<methodName>([^<]+)<\/methodName>/.exec(body)?.[1] ?? '';
      const param = /<param>\s*<value>(?:<string>)?([^<]*)/.exec(body)?.[1] ?? '';
      requests.push(`${method}(${param})`);
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      if (opts.faults?.[param]) return res.end(fault(1, opts.faults[param]));
      const rpms = builds[param];
      const nvr = /^(.+)-([^-]+)-([^-]+)$/.exec(param);
      if (method === 'getBuild') {
        if (!rpms || !nvr) return res.end(response(null));
        return res.end(response({ id: 42, build_id: 42, package_name: nvr[1], name: nvr[1], version: nvr[2], release: nvr[3], epoch: rpms.find((r) => r.arch === 'src')?.epoch ?? null, nvr: param, state: opts.states?.[param] ?? 1, draft: false, owner_name: 'packager', volume_name: 'DEFAULT', task_id: 7, extra: null }));
      }
      if (method === 'listBuildRPMs') {
        if (!rpms) return res.end(fault(1000, `No such build: '${param}'`));
        return res.end(
          response(
            rpms.map((r, i) => ({ id: 900 + i, name: r.name, version: r.version, release: r.release, nvr: `${r.name}-${r.version}-${r.release}`, arch: r.arch, epoch: r.epoch, draft: false, payloadhash: 'f'.repeat(32), size: 3_000_000_000 + i, buildtime: 1729000000, build_id: 42, buildroot_id: 5, external_repo_id: 0, external_repo_name: 'INTERNAL', metadata_only: false, extra: null })),
          ),
        );
      }
      res.end(fault(1000, `Invalid method: ${method}`));
    });
  }, requests);
}

/** An rpm-md repo per arch (`/<arch>/repodata/...`) holding the given NEVRAs (`name-[E:]V-R.A`). */
export function startRpmMd(perArch: Record<string, string[]>): Promise<Served> {
  const files = new Map<string, Buffer>();
  for (const [arch, nevras] of Object.entries(perArch)) {
    const pkgs = nevras.map((n) => {
      const m = /^(.+)-(?:(\d+):)?([^-]+)-([^-]+)\.([^.]+)$/.exec(n)!;
      return `<package type="rpm">\n  <name>${m[1]}</name>\n  <arch>${m[5]}</arch>\n  <version epoch="${m[2] ?? '0'}" ver="${m[3]}" rel="${m[4]}"/>\n  <checksum type="sha256" pkgid="YES">0</checksum>\n</package>`;
    });
    const primary = `<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/metadata/common" packages="${pkgs.length}">\n${pkgs.join('\n')}\n</metadata>\n`;
    files.set(`/${arch}/repodata/repomd.xml`, Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<repomd xmlns="http://linux.duke.edu/metadata/repo">\n  <data type="primary">\n    <location href="repodata/1-primary.xml.gz"/>\n  </data>\n</repomd>\n`));
    files.set(`/${arch}/repodata/1-primary.xml.gz`, zlib.gzipSync(primary));
  }
  const requests: string[] = [];
  return listen((req, res) => {
    requests.push(req.url ?? '');
    const body = files.get(req.url ?? '');
    res.writeHead(body ? 200 : 404);
    res.end(body ?? 'not found');
  }, requests);
}
