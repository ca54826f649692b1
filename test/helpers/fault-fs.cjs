// Preloaded into a lockstep process (NODE_OPTIONS=--require) to enumerate and kill at its
// writes: every mutating fs call on a path under LOCKSTEP_FAULT_DIR is two numbered points
// (before and after it). LOCKSTEP_FAULT_TRACE lists them; LOCKSTEP_FAULT_AT=N kills the
// process with SIGKILL at point N, as a crash or power cut would, with no cleanup of any kind.
// LOCKSTEP_FAULT_ENOSPC=N instead fails with ENOSPC, as a full disk would, every start of a
// write (open for writing, writeFile, appendFile, copyFile, mkdir) from point N on: the disk
// stays full, so a retry inside the process fails too.
'use strict';
const fs = require('node:fs');

const dir = process.env.LOCKSTEP_FAULT_DIR;
const killAt = Number(process.env.LOCKSTEP_FAULT_AT || 0);
const trace = process.env.LOCKSTEP_FAULT_TRACE;
const fullAt = Number(process.env.LOCKSTEP_FAULT_ENOSPC || 0);
const FILLS = /^(open|writeFile|appendFile|copyFile|mkdir)(Sync)?$/;
let n = 0;

function point(op, p, phase) {
  if (!dir || typeof p !== 'string' || !p.startsWith(dir)) return;
  n++;
  if (trace) fs.appendFileSync(trace, `${n} ${phase} ${op} ${p.slice(dir.length)}\n`);
  if (n === killAt) process.kill(process.pid, 'SIGKILL');
  if (fullAt && n >= fullAt && phase === 'before' && FILLS.test(op)) {
    const syscall = op.replace(/Sync$/, '').replace('writeFile', 'write');
    throw Object.assign(new Error(`ENOSPC: no space left on device, ${syscall} '${p}'`), { code: 'ENOSPC', errno: -28, syscall, path: p });
  }
}

const writes = (flags) => typeof flags === 'string' && /[wax+]/.test(flags);

for (const name of ['rename', 'unlink', 'rm', 'rmdir', 'writeFile', 'mkdir', 'appendFile', 'copyFile']) {
  const orig = fs.promises[name];
  fs.promises[name] = async function (p, ...rest) {
    point(name, String(p), 'before');
    const r = await orig.call(this, p, ...rest);
    point(name, String(p), 'after');
    return r;
  };
}
const open = fs.promises.open;
fs.promises.open = async function (p, flags, ...rest) {
  if (writes(flags)) point('open', String(p), 'before');
  return open.call(this, p, flags, ...rest);
};
for (const name of ['renameSync', 'unlinkSync', 'rmSync', 'rmdirSync', 'writeFileSync', 'mkdirSync', 'copyFileSync']) {
  const orig = fs[name];
  fs[name] = function (p, ...rest) {
    point(name, String(p), 'before');
    const r = orig.call(this, p, ...rest);
    point(name, String(p), 'after');
    return r;
  };
}
