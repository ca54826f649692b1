// Builds a bare repo with N times the fixture's history (default 10: ~31k commits), for the
// bench's scaling figures. The fixture's whole history (every stream, shared commits shared)
// is replayed N times through `git fast-export | git fast-import`: era k continues each
// branch from its tip in era k-1, with dates moved past the previous era and every release
// rewritten (`-1.fc40` -> `-1.k.fc40`), so each era has new versions of every package while
// the lockfiles keep their real shape, size and churn.
//
//   node bench/generate-10x.mjs <fixture.bundle> <dest.git> [times]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Parses a fast-export stream into commands: [{ head: string[] lines, data?: Buffer }...]. */
function* commands(buf) {
  let i = 0;
  let lines = [];
  while (i < buf.length) {
    const nl = buf.indexOf(10, i);
    const line = buf.toString('utf8', i, nl < 0 ? buf.length : nl);
    i = nl < 0 ? buf.length : nl + 1;
    if (line.startsWith('data ')) {
      const n = Number(line.slice(5));
      lines.push(line);
      yield { kind: 'data', lines, data: buf.subarray(i, i + n) };
      lines = [];
      i += n;
      if (buf[i] === 10) i++;
      continue;
    }
    lines.push(line);
  }
  if (lines.length) yield { kind: 'tail', lines };
}

export async function generate(bundle, dest, times = 10) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-gen-'));
  try {
    const src = path.join(tmp, 'src.git');
    execFileSync('git', ['clone', '-q', '--bare', bundle, src]);
    const marksFile = path.join(tmp, 'marks');
    const exported = execFileSync('git', ['--git-dir', src, 'fast-export', '--all', '--reencode=yes', `--export-marks=${marksFile}`], { maxBuffer: 1 << 30 });
    const oidToMark = new Map(
      fs
        .readFileSync(marksFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' '))
        .map(([m, oid]) => [oid, Number(m.slice(1))]),
    );
    // Each root's family: the branches that descend from it. In era k the root becomes a merge
    // of era k-1's family tips (testing-devel's first, else stable's), so every era stays
    // reachable and each stream's first-parent chain runs through all eras.
    const rootFamily = new Map();
    for (const root of execFileSync('git', ['--git-dir', src, 'rev-list', '--max-parents=0', '--all']).toString().trim().split('\n')) {
      const refs = execFileSync('git', ['--git-dir', src, 'for-each-ref', '--contains', root, '--format=%(refname)', 'refs/heads']).toString().trim().split('\n');
      const first = ['refs/heads/testing-devel', 'refs/heads/stable'].find((r) => refs.includes(r)) ?? refs.sort()[0];
      rootFamily.set(oidToMark.get(root), [first, ...refs.filter((r) => r !== first).sort()]);
    }
    const cmds = [...commands(exported)];
    let maxMark = 0;
    let minTime = Infinity;
    let maxTime = 0;
    for (const c of cmds) {
      for (const l of c.lines) {
        const m = /^mark :(\d+)$/.exec(l);
        if (m) maxMark = Math.max(maxMark, Number(m[1]));
        const t = /^(?:author|committer) .* (\d+) [+-]\d{4}$/.exec(l);
        if (t) {
          minTime = Math.min(minTime, Number(t[1]));
          maxTime = Math.max(maxTime, Number(t[1]));
        }
      }
    }
    const span = maxTime - minTime + 86400;

    fs.rmSync(dest, { recursive: true, force: true });
    execFileSync('git', ['init', '-q', '--bare', dest]);
    const fi = spawn('git', ['--git-dir', dest, 'fast-import', '--quiet', '--done'], { stdio: ['pipe', 'inherit', 'inherit'] });
    const exited = new Promise((resolve, reject) => fi.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited with ${code}`)))));
    const write = (chunk) => (fi.stdin.write(chunk) ? Promise.resolve() : new Promise((r) => fi.stdin.once('drain', r)));

    let tips = new Map();
    for (let era = 0; era < times; era++) {
      const off = era * maxMark;
      const shift = era * span;
      const rewrite = (text) => (era === 0 ? text : text.replace(/-(\d+)\.(fc\d\d)\b/g, `-$1.${era}.$2`));
      const eraTips = new Map(tips);
      let ref = null;
      let kind = null;
      let commitMark = 0;
      /** Set after a commit's message: the next line says whether it has a parent. */
      let awaitingFrom = false;
      /** A reset waits for its next line: with a `from` it moves a branch, without it starts a root. */
      let pendingReset = null;
      const line = async (l) => {
        if (pendingReset) {
          const r = pendingReset;
          pendingReset = null;
          // An era's root reset would cut its branch from the era before: dropped.
          if (l.startsWith('from ') || era === 0) await write(`${r}\n`);
        }
        if (awaitingFrom) {
          awaitingFrom = false;
          // A root commit of era k merges its family's tips of era k-1.
          if (!l.startsWith('from ') && era > 0) {
            const family = (rootFamily.get(commitMark) ?? [ref]).map((r) => tips.get(r)).filter(Boolean);
            const parents = [...new Set(family)];
            if (parents.length) await write(`from :${parents[0]}\n${parents.slice(1).map((p) => `merge :${p}\n`).join('')}`);
          }
        }
        let m;
        if ((m = /^mark :(\d+)$/.exec(l))) {
          if (kind === 'commit') {
            commitMark = Number(m[1]);
            eraTips.set(ref, Number(m[1]) + off);
          }
          return write(`mark :${Number(m[1]) + off}\n`);
        }
        if ((m = /^(from|merge) :(\d+)$/.exec(l))) {
          if (m[1] === 'from' && kind === 'reset') eraTips.set(ref, Number(m[2]) + off);
          return write(`${m[1]} :${Number(m[2]) + off}\n`);
        }
        if ((m = /^M (\d+) :(\d+) (.*)$/.exec(l))) return write(`M ${m[1]} :${Number(m[2]) + off} ${m[3]}\n`);
        if ((m = /^(author|committer) (.*) (\d+) ([+-]\d{4})$/.exec(l))) return write(`${m[1]} ${m[2]} ${Number(m[3]) + shift} ${m[4]}\n`);
        if ((m = /^(commit|reset) (.*)$/.exec(l))) {
          kind = m[1];
          ref = m[2];
          if (kind === 'reset') {
            pendingReset = l;
            return;
          }
          return write(`${l}\n`);
        }
        if (l === 'blob') kind = 'blob';
        if (l === 'done' || l.startsWith('feature ')) return;
        return write(`${l}\n`);
      };
      for (const c of cmds) {
        for (const l of c.lines) if (!l.startsWith('data ')) await line(l);
        if (c.kind !== 'data') continue;
        const data = kind === 'blob' ? Buffer.from(rewrite(c.data.toString('utf8'))) : c.data;
        await write(`data ${data.length}\n`);
        await write(data);
        await write('\n');
        if (kind === 'commit') awaitingFrom = true;
      }
      if (awaitingFrom || pendingReset) await line('');
      tips = eraTips;
    }
    await write('done\n');
    fi.stdin.end();
    await exited;
    execFileSync('git', ['--git-dir', dest, 'repack', '-adfq', '--depth=50', '--window=10']);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const [bundle, dest, times] = process.argv.slice(2);
  await generate(bundle, dest, Number(times ?? 10));
  console.log(execFileSync('git', ['--git-dir', dest, 'rev-list', '--all', '--count']).toString().trim(), 'commits');
}
