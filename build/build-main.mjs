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

// Node's own modules as the bundles take them. esbuild makes `import fs from 'node:fs'` a copy of
// every export (`__toESM`: a getter per name, once per importing file), 3-4 ms of each CLI start;
// and `node:crypto`, `node:zlib`, `node:os`... load when the file that imports them starts,
// used or not (crypto alone pulls in Node's streams: 4-6 ms). Here fs, path and the like become
// a view of the module itself (its exports through the prototype, `default` the module), and
// every other one a stand-in that loads the module at its first use and then holds its exports
// (its values as they are; a getter of the module's, like crypto.webcrypto, is read when asked).
// isomorphic-git hashes with sha.js, whose load pulls in some forty polyfill modules (to-buffer,
// get-intrinsic...): 70 ms of every process that loads isomorphic-git. Before its first load,
// require's cache gets node:crypto's SHA-1 under sha.js's name (\`__nativeSha1\`): the same
// digests (isomorphic-git calls new Hash().update(buf).digest(enc) on it), native, and no load.
// Only the calls esbuild itself writes are rewritten; the source maps' columns on those lines
// move by a few characters.
const EAGER = new Set(['node:fs', 'node:path', 'node:util', 'node:buffer', 'node:process', 'node:url', 'node:string_decoder']);
// npm packages a command needs only on some of its paths load at first use the same way:
// isomorphic-git then loads in no command that only reads (`lockstep drafts` reads refs and
// objects with our own reader), and with its SHA-1 from node:crypto where it does. Packages
// whose exports are a function (ws) stay as they are: a stand-in object cannot be called.
const LAZY_PACKAGES = ['isomorphic-git', 'isomorphic-git/http/node', 'proper-lockfile', 'saxes', 'fzstd', 'diff', 'node-diff3', 'cli-progress'];
const exportNames = (id) => Object.keys(require_(id)).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
const require_ = (await import('node:module')).createRequire(import.meta.url);
// One line (no comments in it): the bundle's line count, and so its source map, hold.
const BUILTIN_HELPERS = `var __nodeView = (m) => Object.create(m, { default: { value: m } });
var __nodeLazies = {};
var __nativeSha1 = () => {
  try {
    const at = require.resolve("sha.js/sha1.js", { paths: [require.resolve("isomorphic-git")] });
    if (require.cache[at]) return;
    const m = new (require("node:module"))(at);
    m.filename = at;
    m.loaded = true;
    m.exports = function Sha1() { return require("node:crypto").createHash("sha1"); };
    require.cache[at] = m;
  } catch {}
};
var __nodeLazy = (id, names, esm) => {
  const key = esm ? id + " esm" : id;
  if (__nodeLazies[key]) return __nodeLazies[key];
  const o = (__nodeLazies[key] = {});
  const load = () => {
    if (id === "isomorphic-git") __nativeSha1();
    const m = require(id);
    for (const n of names) {
      const d = Object.getOwnPropertyDescriptor(m, n);
      Object.defineProperty(o, n, d && "value" in d ? { value: d.value, writable: true, enumerable: true } : { get: () => m[n], enumerable: true });
    }
    Object.defineProperty(o, "default", { value: esm && m.__esModule ? m.default : m });
    return m;
  };
  for (const n of names) Object.defineProperty(o, n, { get: () => (load(), o[n]), configurable: true, enumerable: true });
  Object.defineProperty(o, "default", { get: () => (load(), o.default), configurable: true });
  return o;
};
`;
for (const { out } of entries) {
  const file = new URL(`../${out}`, import.meta.url);
  const text = fs.readFileSync(file, 'utf8');
  const lazyNames = new Map();
  const rewritten = text.replace(/__toESM\(require\("([^"]+)"\)(, 1)?\)|require\("([^"]+)"\)/g, (whole, viaEsm, nodeMode, plain) => {
    const id = viaEsm ?? plain;
    const builtin = id.startsWith('node:');
    if (!builtin && !(LAZY_PACKAGES.includes(id) && typeof require_(id) !== 'function')) return whole;
    if (EAGER.has(id)) return viaEsm ? `__nodeView(require(${JSON.stringify(id)}))` : whole;
    if (!lazyNames.has(id)) lazyNames.set(id, exportNames(id));
    // A plain require of a package is its exports as they are, \`default\` too (esbuild's
    // __toESM without node mode would take an ES module's own default).
    const esm = !builtin && (plain !== undefined || !nodeMode);
    return `__nodeLazy(${JSON.stringify(id)}, ${JSON.stringify(lazyNames.get(id))}${esm ? ', 1' : ''})`;
  });
  if (rewritten === text) continue;
  // After the "use strict" line esbuild writes first, so the line count (and the map) hold.
  const at = rewritten.startsWith('"use strict";\n') ? '"use strict";\n'.length : 0;
  fs.writeFileSync(file, `${rewritten.slice(0, at)}${BUILTIN_HELPERS.replace(/\n/g, ' ')}${rewritten.slice(at)}`);
}

// Last, the CLI's bundles minified in place, their source maps chained to the ones above (stack
// traces still map to the TypeScript). A command reads and pre-parses its whole bundle on every
// start: cli-history.cjs goes from 161 to 87 kB, and a warm history at 10x from 1.68x to 1.64x
// a bare node start. No code here reads a function's or a class's name. The Electron side and
// the history worker are left as they are: nothing here can time their start.
await Promise.all(
  cli.map(({ out }) => {
    const file = new URL(`../${out}`, import.meta.url).pathname;
    return build({ entryPoints: [file], outfile: file, allowOverwrite: true, minify: true, sourcemap: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
  }),
);
