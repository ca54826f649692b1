/**
 * A hostile stand-in for Bodhi, Koji and rpm-md repos on 127.0.0.1: each test sets what the
 * next requests get — a garbled or lying answer, wrong types, a body far too large, a
 * decompression bomb, a hang, a redirect to another host, an HTML page with status 200 — and
 * asserts Lockstep's exact outcome.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

export type Behaviour =
  | { kind: 'json'; status?: number; body: unknown }
  | { kind: 'text'; status?: number; contentType?: string; body: string | Buffer }
  /** `size` bytes of `fill`, streamed (never held whole). */
  | { kind: 'huge'; size: number; fill?: string; contentType?: string }
  /** Headers sent, then nothing until the client gives up. */
  | { kind: 'hang' }
  | { kind: 'redirect'; location: string; status?: number };

export interface Hostile {
  url: string;
  /** The same server under another host name (`localhost`): a redirect there is cross-host. */
  otherHostUrl: string;
  requests: { method: string; url: string; body: string }[];
  /** What a request gets: by path (and for XML-RPC, `method` is the called method name). */
  on(fn: (req: { method: string; path: string; rpcMethod: string | null; body: string }) => Behaviour | undefined): void;
  stop(): Promise<void>;
}

export async function startHostile(): Promise<Hostile> {
  const requests: Hostile['requests'] = [];
  let route: Parameters<Hostile['on']>[0] = () => undefined;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body });
      const rpcMethod = /<methodName>([^<]+)<\/methodName>/.exec(body)?.[1] ?? null;
      const b = route({ method: req.method ?? '', path: req.url ?? '', rpcMethod, body }) ?? { kind: 'text', status: 404, body: 'not found' };
      switch (b.kind) {
        case 'json':
          res.writeHead(b.status ?? 200, { 'Content-Type': 'application/json' });
          return res.end(JSON.stringify(b.body));
        case 'text':
          res.writeHead(b.status ?? 200, { 'Content-Type': b.contentType ?? 'text/html' });
          return res.end(b.body);
        case 'redirect':
          res.writeHead(b.status ?? 302, { Location: b.location });
          return res.end();
        case 'hang':
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.flushHeaders();
          return;
        case 'huge': {
          res.writeHead(200, { 'Content-Type': b.contentType ?? 'application/json' });
          const chunk = Buffer.alloc(1 << 16, b.fill ?? ' ');
          let sent = 0;
          const pump = () => {
            while (sent < b.size) {
              sent += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end();
          };
          res.on('close', () => (sent = b.size));
          return pump();
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    otherHostUrl: `http://localhost:${port}`,
    requests,
    on(fn) {
      route = fn;
    },
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** An XML-RPC answer whose values are written as given (`raw` strings are put in verbatim, for wrong types). */
export function xmlrpcAnswer(v: unknown): string {
  const val = (x: unknown): string => {
    if (x === null) return '<value><nil/></value>';
    if (typeof x === 'object' && x && 'raw' in x) return `<value>${(x as { raw: string }).raw}</value>`;
    if (typeof x === 'number') return Number.isInteger(x) ? `<value><int>${x}</int></value>` : `<value><double>${x}</double></value>`;
    if (typeof x === 'string') return `<value><string>${esc(x)}</string></value>`;
    if (Array.isArray(x)) return `<value><array><data>${x.map(val).join('')}</data></array></value>`;
    return `<value><struct>${Object.entries(x as Record<string, unknown>)
      .map(([k, y]) => `<member><name>${k}</name>${val(y)}</member>`)
      .join('')}</struct></value>`;
  };
  return `<?xml version='1.0'?>\n<methodResponse><params><param>${val(v)}</param></params></methodResponse>\n`;
}

/** Koji's getBuild struct for an NVR. */
export function kojiBuild(nvr: string, id = 42) {
  const m = /^(.+)-([^-]+)-([^-]+)$/.exec(nvr)!;
  return { id, build_id: id, name: m[1], package_name: m[1], version: m[2], release: m[3], nvr, state: 1, epoch: null };
}

/** listBuildRPMs rows: `[name, version, release, epoch, arch]`. */
export function kojiRpms(rows: [string, string, string, unknown, string][], buildId = 42) {
  return rows.map(([name, version, release, epoch, arch], i) => ({ id: 900 + i, name, version, release, epoch, arch, build_id: buildId, nvr: `${name}-${version}-${release}` }));
}

/** rpm-md files for one repo: repomd.xml naming a gzipped primary with these packages. */
export function rpmMdFiles(pkgs: { name: string; epoch?: string; ver: string; rel: string; arch: string }[]): { repomd: string; primaryGz: Buffer } {
  const primary = `<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="${pkgs.length}">\n${pkgs
    .map((p) => `<package type="rpm"><name>${p.name}</name><arch>${p.arch}</arch><version epoch="${p.epoch ?? '0'}" ver="${p.ver}" rel="${p.rel}"/><format><rpm:sourcerpm>x.src.rpm</rpm:sourcerpm></format></package>`)
    .join('\n')}\n</metadata>\n`;
  return {
    repomd: `<?xml version="1.0" encoding="UTF-8"?>\n<repomd xmlns="http://linux.duke.edu/metadata/repo"><data type="filelists"><location href="repodata/f.xml.gz"/></data><data type="primary"><location href="repodata/p-primary.xml.gz"/></data></repomd>\n`,
    primaryGz: zlib.gzipSync(primary),
  };
}

/** A gzip bomb: valid XML whose `<metadata>` holds `mb` MB of spaces, compressed about 1000 to 1. */
export function gzipBomb(mb: number): Buffer {
  return zlib.gzipSync(Buffer.concat([Buffer.from('<?xml version="1.0"?>\n<metadata xmlns="http://linux.duke.edu/metadata/common">'), Buffer.alloc(mb << 20, ' '), Buffer.from('</metadata>')]), { level: 9 });
}
