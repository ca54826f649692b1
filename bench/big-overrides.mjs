// SPEC §5 / issue 13: pin and unpin on a 32k-entry override file, in-process as the app and the
// CLI run them (plan, edit, validate, effect, commit, branch), on a synthetic repo whose
// testing-devel stream locks 32k packages and overrides every one of them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const BIG_ENTRIES = 32_000;

function buildRepo(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const git = (...args) => execFileSync('git', ['-C', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'testing-devel');
  git('config', 'user.name', 'Bench Maintainer');
  git('config', 'user.email', 'bench@example.com');
  const names = Array.from({ length: BIG_ENTRIES }, (_, i) => `pkg-${String(i).padStart(5, '0')}`);
  const packages = Object.fromEntries(names.map((n) => [n, { evra: `1.0-1.fc40.x86_64` }]));
  fs.writeFileSync(path.join(dir, 'manifest-lock.x86_64.json'), `${JSON.stringify({ packages, metadata: { generated: '2024-10-01T00:00:00Z' } }, null, 2)}\n`);
  let yaml = '# Overrides for the bench: every package pinned.\npackages:\n';
  for (const n of names) yaml += `  ${n}:\n    evr: 1.1-1.fc40\n    metadata:\n      reason: https://github.com/coreos/fedora-coreos-tracker/issues/1\n      type: pin\n`;
  fs.writeFileSync(path.join(dir, 'manifest-lock.overrides.yaml'), yaml);
  git('add', '.');
  git('commit', '-q', '-m', 'bench: 32k overrides');
  return path.join(dir, '.git');
}

/**
 * Median milliseconds of a pin and of an unpin, each a whole draft (prepare + commit), as the
 * app runs them (the repo open, its stream already read: `warm`) and as one CLI command does
 * (a fresh repo object that parses the stream's files first: `cold`).
 */
export async function measureBigOverrides(L, tmp, runs) {
  const gitdir = buildRepo(path.join(tmp, 'big-overrides'));
  const times = { warm: { pin: [], unpin: [] }, cold: { pin: [], unpin: [] } };
  const app = await L.ConfigRepo.open(gitdir);
  const draft = async (repo, i, action) => {
    const store = new L.DraftStore(repo);
    const t = performance.now();
    const req =
      action === 'pin'
        ? { stream: 'testing-devel', action, requests: [{ name: `pkg-${String(1000 + i).padStart(5, '0')}`, evr: '1.2-1.fc40' }], reason: 'https://example.com/issue/1' }
        : { stream: 'testing-devel', action, requests: [{ name: `pkg-${String(20000 + i).padStart(5, '0')}` }] };
    await store.commit(await store.prepare(req), { type: action });
    return performance.now() - t;
  };
  // The app has read the stream before the user drafts on it.
  await draft(app, runs * 4, 'pin');
  for (let i = 0; i < runs; i++) {
    times.warm.pin.push(await draft(app, i, 'pin'));
    times.warm.unpin.push(await draft(app, i, 'unpin'));
    for (const action of ['pin', 'unpin']) {
      const repo = await L.ConfigRepo.open(gitdir);
      times.cold[action].push(await draft(repo, runs + i, action));
      repo.close();
    }
  }
  app.close();
  // The baseline: git committing the same one-entry edit of the same file, in a clone of its own.
  const work = path.join(tmp, 'big-overrides-git');
  execFileSync('git', ['clone', '-q', path.dirname(gitdir), work]);
  const file = path.join(work, 'manifest-lock.overrides.yaml');
  const git = [];
  for (let i = 0; i < runs; i++) {
    const name = `pkg-${String(5000 + i).padStart(5, '0')}`;
    const t = performance.now();
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace(`  ${name}:\n    evr: 1.1-1.fc40\n`, `  ${name}:\n    evr: 1.2-1.fc40\n`));
    execFileSync('git', ['-C', work, '-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-a', '-m', `pin ${name}`]);
    git.push(performance.now() - t);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { warm: { pin: median(times.warm.pin), unpin: median(times.warm.unpin) }, cold: { pin: median(times.cold.pin), unpin: median(times.cold.unpin) }, git: median(git) };
}
