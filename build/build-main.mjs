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

// The CLI: a tiny entry (`main/cli/entry.ts`), and one bundle per command module holding
// `main/cli/main.ts` with the other command modules left out, so a verb loads only its own code.
const verbs = await build({ entryPoints: [new URL('../main/cli/verbs.ts', import.meta.url).pathname], bundle: true, format: 'esm', write: false, logLevel: 'error' });
const { VERBS } = await import(`data:text/javascript,${encodeURIComponent(verbs.outputFiles[0].text)}`);
const MODULES = [...new Set(Object.values(VERBS))];
/** Leaves out every command module but `keep` (the loader that imports it is never called). */
const onlyCommand = (keep) => ({
  name: 'only-command',
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\// }, (args) =>
      args.importer.endsWith('program.ts') && args.path !== `./commands/${keep}` ? { path: args.path, namespace: 'left-out' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
});

const cli = [
  { in: 'main/cli/entry.ts', out: 'dist/main/cli.cjs' },
  { in: 'main/cli/main.ts', out: 'dist/main/cli-all.cjs' },
  ...MODULES.map((m) => ({ in: 'main/cli/main.ts', out: `dist/main/cli-${m}.cjs`, plugins: [onlyCommand(m)] })),
];

const entries = [
  ...cli,
  { in: 'main/electron/main.ts', out: 'dist/main/electron.cjs' },
  { in: 'main/electron/preload.ts', out: 'dist/main/preload.cjs' },
  { in: 'main/services/history/worker.ts', out: 'dist/main/history-worker.cjs' },
];

await Promise.all(entries.map((e) => build({ ...common, plugins: [...common.plugins, ...(e.plugins ?? [])], entryPoints: [e.in], outfile: e.out })));
