import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { contentSecurityPolicy, metaContentSecurityPolicy } from '../../../shared/api/csp';
import { createBrowserHostApp } from '../../../main/host/browser-server';
import { REPO_ROOT } from '../../helpers/cli';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

// The Electron hardening that lives in build output and packaging config, checked on the real
// artifacts: the renderer built by vite (into a temporary folder), and electron-builder.yml
// (electron-builder itself cannot run here).
describe('the built renderer and the packaging config', () => {
  let out: string;
  let html: string;
  beforeAll(() => {
    out = makeTempDir('lockstep-renderer-build-');
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], { cwd: REPO_ROOT, stdio: 'pipe' });
    html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
  }, 120_000);
  afterAll(() => cleanupTempDirs());

  it('carries the CSP as a meta tag, from the one CSP builder, before any script', () => {
    const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
    expect(m).not.toBeNull();
    expect(m![1].replace(/&#39;/g, "'")).toBe(metaContentSecurityPolicy());
    expect(m![1]).toContain("script-src 'self'");
    expect(m![1]).toContain("object-src 'none'");
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    // Nothing inline that the policy would have to allow.
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\bsrc="\.\//);
    expect(html).not.toMatch(/<script\b[^>]*>\s*[^<\s]/);
  });

  it('is the policy of the headers minus what a meta tag cannot carry', () => {
    expect(metaContentSecurityPolicy()).toBe(contentSecurityPolicy().replace("; frame-ancestors 'none'", ''));
  });

  it('is served by the browser host with its own policy, WebSocket included', async () => {
    const app = await createBrowserHostApp({ staticDir: out, context: { dataDir: makeTempDir('lockstep-host-data-') } });
    try {
      const r = await new Promise<{ body: string; csp: string }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: app.port, path: '/', headers: { Host: `127.0.0.1:${app.port}` } }, (res) => {
            let body = '';
            res.on('data', (d) => (body += d));
            res.on('end', () => resolve({ body, csp: String(res.headers['content-security-policy']) }));
          })
          .on('error', reject);
      });
      expect(r.csp).toContain(`ws://127.0.0.1:${app.port}`);
      expect(r.body).toContain(`connect-src &#39;self&#39; ws://127.0.0.1:${app.port}`.replace(/&#39;/g, "'"));
      expect(r.body.match(/Content-Security-Policy/g)).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('sets the Electron fuses in electron-builder.yml', () => {
    const config = parseYaml(fs.readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as { asar: boolean; electronFuses: Record<string, boolean> };
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
    // Names electron-builder knows: a misspelt fuse would be silently ignored.
    const known = fs.readFileSync(path.join(REPO_ROOT, 'node_modules/app-builder-lib/out/configuration.d.ts'), 'utf8');
    const fuses = /export interface FuseOptionsV1 \{([\s\S]*?)\n\}/.exec(known)![1];
    for (const k of Object.keys(config.electronFuses)) expect(fuses).toMatch(new RegExp(`\\b${k}\\?:`));
  });
});
