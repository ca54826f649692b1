/**
 * A stand-in for Bodhi's update list API (`GET /updates/?...`) and single-update API, on
 * 127.0.0.1, answering as Bodhi does. Shapes checked against Bodhi's own server code:
 * - bodhi-server/bodhi/server/schemas.py ListUpdateSchema + PaginatedSchema: `packages`,
 *   `releases`, `status`, `alias` are sequences (`colander.Sequence(accept_scalar=True)`, so a
 *   parameter repeats), `type` and `severity` single values; `page` ≥ 1 (default 1) and
 *   `rows_per_page` 1..1000 (default 20).
 * - bodhi-server/bodhi/server/services/updates.py query_updates: filters ORed within one
 *   parameter (`or_(*[Package.name == pkg ...])`), ANDed across; ordered by date_submitted
 *   descending; answers `{updates, page, pages = ceil(total / rows_per_page), rows_per_page,
 *   total, chrome, display_user, display_request, package}`.
 * - bodhi-server/bodhi/server/validators.py validate_releases: an unknown release is
 *   `request.errors.add('querystring', 'releases', 'Invalid releases specified: F99')`, which
 *   cornice sends as HTTP 400 `{"status": "error", "errors": [{"location": "querystring",
 *   "name": "releases", "description": "Invalid releases specified: F99"}]}`.
 * - models.py: Update JSON has alias, url, type, severity, status, date_submitted, release
 *   {name 'F41', version '41', dist_tag 'f41'}, builds [{nvr, epoch, type, signed}], bugs
 *   [{bug_id, title, security}].
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListedUpdate {
  alias: string;
  release: number;
  builds: { nvr: string; epoch?: number }[];
  type?: 'security' | 'bugfix' | 'enhancement' | 'newpackage';
  status?: 'pending' | 'testing' | 'stable' | 'obsolete' | 'unpushed' | 'side_tag_active';
  severity?: 'urgent' | 'high' | 'medium' | 'low' | 'unspecified';
  /** Bug titles; CVE ids are read from them. */
  bugs?: string[];
  submitted?: string;
}

export interface BodhiStandIn {
  url: string;
  /** Every request's path and query, in order. */
  requests: string[];
  /** The parsed list queries, in order. */
  listQueries: URLSearchParams[];
  /** Releases Bodhi knows (others are refused with its 400). */
  releases: Set<number>;
  updates: ListedUpdate[];
  stop(): Promise<void>;
}

/** An update as Bodhi serializes it. */
export function listedUpdateJson(u: ListedUpdate) {
  return {
    alias: u.alias,
    title: u.builds.map((b) => b.nvr).join(' '),
    url: `https://bodhi.fedoraproject.org/updates/${u.alias}`,
    type: u.type ?? 'security',
    status: u.status ?? 'stable',
    severity: u.severity ?? 'unspecified',
    date_submitted: u.submitted ?? '2026-11-01 10:00:00',
    release: { name: `F${u.release}`, long_name: `Fedora ${u.release}`, version: String(u.release), id_prefix: 'FEDORA', branch: `f${u.release}`, dist_tag: `f${u.release}`, state: 'current' },
    builds: u.builds.map((b, i) => ({ nvr: b.nvr, epoch: b.epoch ?? 0, release_id: u.release, signed: true, type: 'rpm', id: 5000 + i })),
    bugs: (u.bugs ?? []).map((title, i) => ({ bug_id: 2_300_000 + i, title, security: /CVE-/.test(title), parent: false, feedback: [] })),
    user: { name: 'packager' },
  };
}

const sourceOf = (nvr: string) => nvr.replace(/-[^-]+-[^-]+$/, '');

export async function startBodhiList(updates: ListedUpdate[], releases: number[]): Promise<BodhiStandIn> {
  const requests: string[] = [];
  const listQueries: URLSearchParams[] = [];
  const known = new Set(releases);
  const state = { updates };
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/updates/') {
      const q = url.searchParams;
      listQueries.push(q);
      const bad = q.getAll('releases').filter((r) => !known.has(Number(r.replace(/^F/, ''))));
      if (bad.length) return send(400, { status: 'error', errors: [{ location: 'querystring', name: 'releases', description: `Invalid releases specified: ${bad.join(', ')}` }] });
      const rows = Number(q.get('rows_per_page') ?? 20);
      const page = Number(q.get('page') ?? 1);
      if (!(rows >= 1 && rows <= 1000)) return send(400, { status: 'error', errors: [{ location: 'querystring', name: 'rows_per_page', description: `${rows} is greater than maximum value 1000` }] });
      const pkgs = q.getAll('packages');
      const rels = q.getAll('releases').map((r) => Number(r.replace(/^F/, '')));
      const statuses = q.getAll('status');
      const type = q.get('type');
      const hits = state.updates
        .filter((u) => !pkgs.length || u.builds.some((b) => pkgs.includes(sourceOf(b.nvr))))
        .filter((u) => !rels.length || rels.includes(u.release))
        .filter((u) => !statuses.length || statuses.includes(u.status ?? 'stable'))
        .filter((u) => !type || (u.type ?? 'security') === type)
        .sort((a, b) => (b.submitted ?? '').localeCompare(a.submitted ?? ''));
      const pages = Math.ceil(hits.length / rows);
      return send(200, { updates: hits.slice(rows * (page - 1), rows * page).map(listedUpdateJson), page, pages, rows_per_page: rows, total: hits.length, chrome: true, display_user: true, display_request: true, package: pkgs[0] ?? null });
    }
    const one = /^\/updates\/([^/]+)\/?$/.exec(url.pathname);
    const u = one && state.updates.find((x) => x.alias === decodeURIComponent(one[1]));
    if (u) return send(200, { update: listedUpdateJson(u), can_edit: false, ci_allowed: false });
    send(404, { status: 'error', errors: [{ location: 'url', name: 'id', description: 'Invalid update id' }] });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    listQueries,
    releases: known,
    get updates() {
      return state.updates;
    },
    set updates(v) {
      state.updates = v;
    },
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
