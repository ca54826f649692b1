import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// shared/ must run anywhere (renderer, worker, Node): no Node built-ins, Electron, React or DOM.
const SHARED = path.resolve(__dirname, '../../../shared');
const ALLOWED_PACKAGES = new Set(['yaml', 'diff']);

function* sourceFiles(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* sourceFiles(p);
    else if (/\.tsx?$/.test(e.name)) yield p;
  }
}

describe('shared/ purity', () => {
  const files = [...sourceFiles(SHARED)];

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [path.relative(SHARED, f), f]))('%s imports only shared code and allowed packages', (_rel, file) => {
    const text = fs.readFileSync(file, 'utf8');
    const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
      (m) => m[1] ?? m[2] ?? m[3],
    );
    for (const spec of specs) {
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec);
        expect(target.startsWith(SHARED), `${spec} leaves shared/`).toBe(true);
      } else {
        expect(ALLOWED_PACKAGES.has(spec.split('/')[0]), `${spec} is not allowed in shared/`).toBe(true);
      }
    }
  });
});
