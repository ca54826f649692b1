import fs from 'node:fs';
import path from 'node:path';
import { cruise } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

// The layer rules of .dependency-cruiser.cjs (SPEC §3) must catch each forbidden import: a
// probe file with that import is cruised and must be refused by the named rule.
const ROOT = path.resolve(__dirname, '../..');
const probes: string[] = [];

async function violations(file: string, text: string): Promise<string[]> {
  const abs = path.join(ROOT, file);
  fs.writeFileSync(abs, text);
  probes.push(abs);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require(path.join(ROOT, '.dependency-cruiser.cjs'));
  const r = await cruise([file], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } }, undefined, {
    tsConfig: { fileName: path.join(ROOT, 'tsconfig.json') },
  } as never);
  const out = typeof r.output === 'string' ? JSON.parse(r.output) : r.output;
  return (out.summary.violations as { rule: { name: string }; from: string }[]).filter((v) => v.from === file).map((v) => v.rule.name);
}

afterAll(() => {
  for (const p of probes) fs.rmSync(p, { force: true });
});

describe('layer rules', () => {
  const tag = `layer-probe-${process.pid}`;
  it('refuse a renderer file importing node:fs', async () => {
    expect(await violations(`renderer/${tag}-a.ts`, "import fs from 'node:fs';\nexport const x = fs;\n")).toContain('renderer-no-node-builtins');
  });
  it('refuse a renderer file importing from main/', async () => {
    expect(await violations(`renderer/${tag}-b.ts`, "import { DraftStore } from '../main/services/drafts/store';\nexport const x = DraftStore;\n")).toContain('renderer-only-renderer-and-shared');
  });
  it('refuse a service importing isomorphic-git', async () => {
    expect(await violations(`main/services/${tag}-c.ts`, "import git from 'isomorphic-git';\nexport const x = git;\n")).toContain('only-git-layer-touches-isomorphic-git');
  });
  it('refuse a shared file importing node:path', async () => {
    expect(await violations(`shared/${tag}-d.ts`, "import path from 'node:path';\nexport const x = path;\n")).toContain('shared-no-node-builtins');
  });
  it('refuse the git layer importing a service', async () => {
    expect(await violations(`main/git/${tag}-e.ts`, "import { DraftStore } from '../services/drafts/store';\nexport const x = DraftStore;\n")).toContain('git-layer-below-services');
  });
  it('refuse a service importing the app layer', async () => {
    expect(await violations(`main/services/${tag}-g.ts`, "import { createBackend } from '../app/backend';\nexport const x = createBackend;\n")).toContain('services-not-app');
  });
  it('refuse the app layer importing a host', async () => {
    expect(await violations(`main/app/${tag}-h.ts`, "import { buildProgram } from '../cli/program';\nexport const x = buildProgram;\n")).toContain('app-not-hosts');
  });
  it('refuse object reading importing the network', async () => {
    expect(await violations(`main/git/objects/${tag}-i.ts`, "import { pushBranch } from '../transport/push';\nexport const x = pushBranch;\n")).toContain('git-objects-below-transport');
  });
  it('refuse a module circle outside the zustand store', async () => {
    const other = path.join(ROOT, `main/services/${tag}-k.ts`);
    fs.writeFileSync(other, `import { x } from './${tag}-j';\nexport const y = x;\n`);
    probes.push(other);
    expect(await violations(`main/services/${tag}-j.ts`, `import { y } from './${tag}-k';\nexport const x = 1;\nexport const z = y;\n`)).toContain('no-circular');
  });
  it('accept the tree as it is', async () => {
    expect(await violations(`shared/${tag}-f.ts`, "import { compareEvr } from './rpm/nevra';\nexport const x = compareEvr;\n")).toEqual([]);
  });
});
