// SPEC §5 / issue 11 item 3: extending the history index after a fetch must cost what the new
// commits cost, not what the history's length costs. New commits land on testing-devel of a
// repo whose full index is on disk, each changing one lockfile entry as the bot's bumps do
// (written by one `git fast-import`), and the index is brought up to date in a child process
// the way the worker does after a fetch. The figure is the update alone, timed inside the child
// (node start-up and module loading are not the user's wait: the worker is already running).
import { execFileSync } from 'node:child_process';

const LOCKFILE = 'manifest-lock.x86_64.json';
const STREAM = 'testing-devel';

/**
 * Appends `count` commits to `gitdir`'s testing-devel, each bumping the release of one more
 * package in the x86_64 lockfile (`seq` numbers them across calls so every commit changes a blob).
 */
function appendCommits(gitdir, count, seq) {
  const git = (args, input) => execFileSync('git', ['--git-dir', gitdir, ...args], { input, maxBuffer: 1 << 28 });
  const head = git(['rev-parse', `refs/heads/${STREAM}`]).toString().trim();
  const lock = JSON.parse(git(['show', `${head}:${LOCKFILE}`]).toString());
  const names = Object.keys(lock.packages).sort();
  const when = Number(git(['log', '-1', '--format=%ct', head]).toString().trim());
  const chunks = [];
  for (let i = 0; i < count; i++) {
    const n = seq + i;
    const name = names[n % names.length];
    const entry = lock.packages[name];
    // `E:V-R.A` → `E:V-R.bN.A`: a newer release of the same build, as a rebuild would be.
    entry.evra = entry.evra.replace(/\.([^.]+)$/, `.b${n}.$1`);
    const text = `${JSON.stringify(lock, null, 2)}\n`;
    const msg = `lockfiles: bump ${name}\n\nbench commit ${n}\n`;
    chunks.push(
      `commit refs/heads/${STREAM}\n`,
      `committer Bench Bot <bench@example.com> ${when + 60 * (n + 1)} +0000\n`,
      `data ${Buffer.byteLength(msg)}\n${msg}`,
      i === 0 ? `from ${head}\n` : '',
      `M 100644 inline ${LOCKFILE}\n`,
      `data ${Buffer.byteLength(text)}\n${text}\n`,
    );
  }
  git(['fast-import', '--quiet'], chunks.join(''));
}

/**
 * Median update time (ms) for each number of new commits, and for none. `gitdir`'s index must
 * be complete; `child(code)` runs a snippet with the bench bundle as `L` and returns its JSON.
 */
export async function measureIncremental(gitdir, child, { runs = 3, counts = [1, 10, 100] } = {}) {
  const update = () =>
    child(`const t = performance.now(); L.buildAllIndexes(${JSON.stringify(gitdir)}, { streams: [${JSON.stringify(STREAM)}] }).then(() => console.log(JSON.stringify(performance.now() - t)))`);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // The index may lag the repo (another bench step moved nothing, but be sure): start level.
  await update();
  const none = [];
  for (let r = 0; r < runs; r++) none.push(await update());
  const out = { none: median(none), byCount: {} };
  let seq = 0;
  for (const count of counts) {
    const times = [];
    for (let r = 0; r < runs; r++) {
      appendCommits(gitdir, count, seq);
      seq += count;
      times.push(await update());
    }
    out.byCount[count] = median(times);
  }
  return out;
}
