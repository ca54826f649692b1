// Bundles the Node side (CLI, Electron main, preload) with esbuild. npm packages stay external
// and load from node_modules at run time, except ESM-only ones, which CommonJS cannot require.
import fs from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const BUNDLED = new Set(['env-paths', '@octokit/rest']);
// `electron` is provided by the runtime (main and preload), never bundled.
const external = ['electron', ...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

// `yaml` loads on first use (build/lazy-yaml.cjs), so commands that never parse YAML start faster.
const lazyYaml = {
  name: 'lazy-yaml',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, (args) =>
      args.importer.endsWith('lazy-yaml.cjs') ? { path: 'yaml', external: true } : { path: new URL('./lazy-yaml.cjs', import.meta.url).pathname },
    );
  },
};

const common = {
  plugins: [lazyYaml],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external,
  logLevel: 'warning',
};

const entries = [
  { in: 'main/cli/main.ts', out: 'dist/main/cli.cjs' },
  { in: 'main/electron/main.ts', out: 'dist/main/electron.cjs' },
  { in: 'main/electron/preload.ts', out: 'dist/main/preload.cjs' },
  { in: 'main/services/history/worker.ts', out: 'dist/main/history-worker.cjs' },
];

await Promise.all(entries.map((e) => build({ ...common, entryPoints: [e.in], outfile: e.out })));
