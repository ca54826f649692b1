/**
 * Every layer rule of .dependency-cruiser.cjs (SPEC §3) proven to bite: for each rule, one probe
 * that breaks it, cruised in a tree of its own under the system temp folder (the config, the
 * tsconfigs and a minimal layout copied there, stand-in packages for isomorphic-git, electron,
 * yaml and an outside one), never in the checkout. A rule with no probe fails the test, and a
 * rule removed from the config fails its probe.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cruise } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const CONFIG = require(path.join(ROOT, '.dependency-cruiser.cjs')) as { forbidden: { name: string }[]; options: Record<string, unknown> };

/** One file per room, each exporting `x`, for probes to import. */
const LAYOUT = [
  'shared/rpm/nevra.ts',
  'main/git/refs.ts',
  'main/git/transport/push.ts',
  'main/git/objects/object-store.ts',
  'main/services/drafts/store.ts',
  'main/app/backend.ts',
  'main/cli/program.ts',
  'main/host/browser-server.ts',
  'main/electron/main.ts',
  'renderer/store/index.ts',
];
/** Stand-in packages: what the rules name, and one they do not allow anywhere pure. */
const PACKAGES = ['isomorphic-git', 'electron', 'yaml', 'diff', 'left-pad'];

interface Probe {
  /** The rule the probe breaks. */
  rule: string;
  /** file -> text: the probe's files, whose violations are read (a circle is reported from one of them). */
  files: Record<string, string>;
}

const imp = (spec: string) => `import * as m from '${spec}';\nexport const probe = m;\n`;

const PROBES: Probe[] = [
  { rule: 'shared-is-pure', files: { 'shared/probe.ts': imp('left-pad') } },
  { rule: 'shared-no-node-builtins', files: { 'shared/probe.ts': imp('node:path') } },
  { rule: 'renderer-only-renderer-and-shared', files: { 'renderer/probe.ts': imp('../main/services/drafts/store') } },
  { rule: 'renderer-no-node-builtins', files: { 'renderer/probe.ts': imp('node:fs') } },
  { rule: 'only-git-layer-touches-isomorphic-git', files: { 'main/services/probe.ts': imp('isomorphic-git') } },
  { rule: 'only-git-layer-runs-git', files: { 'main/services/probe.ts': imp('node:child_process') } },
  { rule: 'git-layer-below-services', files: { 'main/git/probe.ts': imp('../services/drafts/store') } },
  { rule: 'git-objects-below-transport', files: { 'main/git/objects/probe.ts': imp('../transport/push') } },
  {
    rule: 'no-circular',
    files: { 'main/services/probe.ts': "import { y } from './probe-other';\nexport const x = y;\n", 'main/services/probe-other.ts': "import { x } from './probe';\nexport const y = () => x;\n" },
  },
  { rule: 'services-not-app', files: { 'main/services/probe.ts': imp('../app/backend') } },
  { rule: 'app-not-hosts', files: { 'main/app/probe.ts': imp('../cli/program') } },
  { rule: 'only-electron-host-imports-electron', files: { 'main/app/probe.ts': imp('electron') } },
  { rule: 'services-not-hosts', files: { 'main/services/probe.ts': imp('../host/browser-server') } },
];

let tmp = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-layers-'));
  for (const f of ['.dependency-cruiser.cjs', 'tsconfig.json', 'tsconfig.base.json']) fs.copyFileSync(path.join(ROOT, f), path.join(tmp, f));
  for (const f of LAYOUT) {
    fs.mkdirSync(path.dirname(path.join(tmp, f)), { recursive: true });
    fs.writeFileSync(path.join(tmp, f), 'export const x = 1;\n');
  }
  for (const p of PACKAGES) {
    const dir = path.join(tmp, 'node_modules', p);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: p, version: '1.0.0', main: 'index.js' }));
    fs.writeFileSync(path.join(dir, 'index.js'), 'module.exports = {};\n');
  }
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The rules the probe's files break, cruised in the temp tree (the files removed after). */
async function violations(files: Record<string, string>): Promise<string[]> {
  const names = Object.keys(files);
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(tmp, f), text);
  const cwd = process.cwd();
  try {
    // dependency-cruiser reads paths relative to the working folder, as `npm run layers` does at the root.
    process.chdir(tmp);
    const r = await cruise(names, { ...CONFIG.options, validate: true, ruleSet: { forbidden: CONFIG.forbidden } } as never, undefined, {
      tsConfig: { fileName: path.join(tmp, 'tsconfig.json') },
    } as never);
    const out = typeof r.output === 'string' ? JSON.parse(r.output) : r.output;
    return (out.summary.violations as { rule: { name: string }; from: string }[]).filter((v) => names.includes(v.from)).map((v) => v.rule.name);
  } finally {
    process.chdir(cwd);
    for (const f of names) fs.rmSync(path.join(tmp, f), { force: true });
  }
}

describe('layer rules', () => {
  it('each rule of the config has its probe here', () => {
    expect(CONFIG.forbidden.map((r) => r.name).sort()).toEqual(PROBES.map((p) => p.rule).sort());
  });

  for (const p of PROBES) {
    it(`${p.rule}: a probe that breaks it is refused by it`, async () => {
      expect(await violations(p.files)).toContain(p.rule);
    });
  }

  it('accept what the rules allow: shared/ on yaml and diff, the git layer on isomorphic-git and child_process, the Electron host on electron', async () => {
    expect(await violations({ 'shared/probe.ts': "import * as y from 'yaml';\nimport * as d from 'diff';\nimport { x } from './rpm/nevra';\nexport const p = [y, d, x];\n" })).toEqual([]);
    expect(await violations({ 'main/git/probe.ts': "import * as g from 'isomorphic-git';\nimport { spawn } from 'node:child_process';\nexport const p = [g, spawn];\n" })).toEqual([]);
    expect(await violations({ 'main/electron/probe.ts': "import * as e from 'electron';\nimport { x } from '../app/backend';\nexport const p = [e, x];\n" })).toEqual([]);
  });

  it('writes nothing into the checkout', () => {
    expect(fs.readdirSync(path.join(ROOT, 'main', 'services')).filter((f) => f.includes('probe'))).toEqual([]);
    expect(tmp.startsWith(os.tmpdir())).toBe(true);
  });
});
