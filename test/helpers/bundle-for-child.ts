/**
 * Bundles a TypeScript entry (a product module, or a test driver over product modules) into one
 * CommonJS file a child `node` process can run: for tests that kill a process in the middle of a
 * service call no CLI command makes (the writer lock held over a refresh, a raw edit's save, a
 * settings or token write). npm packages load from node_modules as in the product's own build
 * (build/build-main.mjs), the ESM-only ones bundled.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { REPO_ROOT } from './cli';

const built = new Map<string, string>();
const BUNDLED = new Set(['env-paths', '@octokit/rest']);

/** The bundled file of `entry` (a path under the repo), built once per test process. */
export function bundleForChild(entry: string): string {
  const hit = built.get(entry);
  if (hit) return hit;
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {}), 'electron'].filter((n) => !BUNDLED.has(n)).flatMap((n) => [n, `${n}/*`]);
  // Inside the checkout, so that the bundle's own `import()`s (ESM: no NODE_PATH) find node_modules.
  const outfile = path.join(REPO_ROOT, 'node_modules', '.cache', 'lockstep-test-bundles', `${process.pid}-${path.basename(entry, '.ts')}.cjs`);
  process.on('exit', () => fs.rmSync(outfile, { force: true }));
  buildSync({ entryPoints: [path.join(REPO_ROOT, entry)], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'error', external, absWorkingDir: REPO_ROOT });
  built.set(entry, outfile);
  return outfile;
}

/** The environment a bundled child needs to find the external packages from its temp folder. */
export const childNodePath = { NODE_PATH: path.join(REPO_ROOT, 'node_modules') };
