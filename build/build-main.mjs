// Bundles the Node side (CLI, Electron main, preload, workers) with esbuild.
// npm packages stay external: they are resolved from node_modules at run time.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
};

const entries = [
  { in: 'main/cli/main.ts', out: 'dist/main/cli.cjs' },
];

await Promise.all(entries.map((e) => build({ ...common, entryPoints: [e.in], outfile: e.out })));
