// Preloaded into a lockstep process (NODE_OPTIONS=--require) to enumerate and kill at its
// writes: every mutating fs call on a path under LOCKSTEP_FAULT_DIR is two numbered points
// (before and after it), whichever API makes it: promises, sync, callback, a FileHandle, a
// file descriptor opened for writing (its writes and truncations, by the path it was opened
// with) and so write streams. LOCKSTEP_FAULT_TRACE lists them; LOCKSTEP_FAULT_AT=N kills the
// process with SIGKILL at point N, as a crash or power cut would, with no cleanup of any kind.
// LOCKSTEP_FAULT_ENOSPC=N instead fails with ENOSPC, as a full disk would, every start of a
// write (open for writing, writeFile, appendFile, copyFile, mkdir, a write to an open file)
// from point N on: the disk stays full, so a retry inside the process fails too.
// The tests check the trace against the files that changed on disk: a write this file does not
// see fails them (see `unseenWrites` in the kill test).
'use strict';
const fs = require('node:fs');

const dir = process.env.LOCKSTEP_FAULT_DIR;
const killAt = Number(process.env.LOCKSTEP_FAULT_AT || 0);
const trace = process.env.LOCKSTEP_FAULT_TRACE;
const fullAt = Number(process.env.LOCKSTEP_FAULT_ENOSPC || 0);
const FILLS = /^(open|writeFile|appendFile|copyFile|mkdir|write)(Sync)?$/;
// The trace is written through the original functions, on its own descriptor: the hook never sees itself.
const rawOpen = fs.openSync;
const rawWrite = fs.writeSync;
let traceFd = null;
const appendTrace = (file, line) => rawWrite((traceFd ??= rawOpen(file, 'a')), line);
let n = 0;
/** fd -> the path it was opened with, for files opened for writing under `dir`. */
const fds = new Map();

const under = (p) => !!dir && typeof p === 'string' && (p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`));

function point(op, p, phase, to) {
  if (!under(p) && !under(to)) return;
  n++;
  const where = under(p) ? p.slice(dir.length) : String(p);
  if (trace) appendTrace(trace, `${n} ${phase} ${op} ${where}${to ? ` -> ${under(to) ? to.slice(dir.length) : to}` : ''}\n`);
  if (n === killAt) process.kill(process.pid, 'SIGKILL');
  if (fullAt && n >= fullAt && phase === 'before' && FILLS.test(op)) {
    const syscall = op.replace(/Sync$/, '').replace('writeFile', 'write');
    throw Object.assign(new Error(`ENOSPC: no space left on device, ${syscall} '${p}'`), { code: 'ENOSPC', errno: -28, syscall, path: p });
  }
}

const writes = (flags) => (typeof flags === 'string' && /[wax+]/.test(flags)) || (typeof flags === 'number' && (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_APPEND)) !== 0);
const pathOf = (p) => (p instanceof URL ? p.pathname : Buffer.isBuffer(p) ? p.toString() : String(p));
const PATH_OPS = ['rename', 'unlink', 'rm', 'rmdir', 'writeFile', 'mkdir', 'appendFile', 'copyFile', 'truncate', 'utimes', 'symlink', 'link', 'chmod'];
// Two paths: the second one is written too (a rename's target, a copy's destination).
const TWO = new Set(['rename', 'copyFile', 'link', 'symlink']);

// Promises.
for (const name of PATH_OPS) {
  const orig = fs.promises[name];
  if (!orig) continue;
  fs.promises[name] = async function (p, ...rest) {
    const to = TWO.has(name) ? pathOf(rest[0]) : undefined;
    point(name, pathOf(p), 'before', to);
    const r = await orig.call(this, p, ...rest);
    point(name, pathOf(p), 'after', to);
    return r;
  };
}
const openP = fs.promises.open;
fs.promises.open = async function (p, flags, ...rest) {
  const file = pathOf(p);
  const w = writes(flags ?? 'r');
  if (w) point('open', file, 'before');
  const h = await openP.call(this, p, flags, ...rest);
  if (w) {
    point('open', file, 'after');
    for (const m of ['write', 'writeFile', 'appendFile', 'truncate', 'writev']) {
      const orig = h[m];
      if (!orig) continue;
      h[m] = async function (...args) {
        point(`handle.${m}`, file, 'before');
        const r = await orig.apply(this, args);
        point(`handle.${m}`, file, 'after');
        return r;
      };
    }
  }
  return h;
};

// Sync.
for (const name of PATH_OPS) {
  const orig = fs[`${name}Sync`];
  if (!orig) continue;
  fs[`${name}Sync`] = function (p, ...rest) {
    const to = TWO.has(name) ? pathOf(rest[0]) : undefined;
    point(`${name}Sync`, pathOf(p), 'before', to);
    const r = orig.call(this, p, ...rest);
    point(`${name}Sync`, pathOf(p), 'after', to);
    return r;
  };
}
const openSync = fs.openSync;
fs.openSync = function (p, flags, ...rest) {
  const file = pathOf(p);
  const w = writes(flags ?? 'r');
  if (w) point('openSync', file, 'before');
  const fd = openSync.call(this, p, flags, ...rest);
  if (w && under(file)) fds.set(fd, file);
  if (w) point('openSync', file, 'after');
  return fd;
};
for (const name of ['writeSync', 'ftruncateSync', 'writevSync']) {
  const orig = fs[name];
  fs[name] = function (fd, ...rest) {
    const file = fds.get(fd);
    if (file) point(name, file, 'before');
    const r = orig.call(this, fd, ...rest);
    if (file) point(name, file, 'after');
    return r;
  };
}
const closeSync = fs.closeSync;
fs.closeSync = function (fd) {
  fds.delete(fd);
  return closeSync.call(this, fd);
};

// Callbacks (graceful-fs and proper-lockfile use these; write streams use open and write).
const withCallback = (name, file, to, args, call) => {
  const cb = typeof args[args.length - 1] === 'function' ? args.pop() : null;
  point(name, file, 'before', to);
  call([
    ...args,
    (err, ...res) => {
      if (!err) point(name, file, 'after', to);
      if (cb) cb(err, ...res);
    },
  ]);
};
for (const name of PATH_OPS) {
  const orig = fs[name];
  if (!orig) continue;
  fs[name] = function (p, ...args) {
    const to = TWO.has(name) ? pathOf(args[0]) : undefined;
    withCallback(name, pathOf(p), to, args, (a) => orig.call(this, p, ...a));
  };
}
const openCb = fs.open;
fs.open = function (p, ...args) {
  const file = pathOf(p);
  const flags = typeof args[0] === 'function' ? 'r' : args[0];
  if (!writes(flags ?? 'r')) return openCb.call(this, p, ...args);
  const cb = args.pop();
  point('open', file, 'before');
  openCb.call(this, p, ...args, (err, fd) => {
    if (!err) {
      if (under(file)) fds.set(fd, file);
      point('open', file, 'after');
    }
    cb(err, fd);
  });
};
for (const name of ['write', 'ftruncate', 'writev']) {
  const orig = fs[name];
  fs[name] = function (fd, ...args) {
    const file = fds.get(fd);
    if (!file) return orig.call(this, fd, ...args);
    withCallback(name, file, undefined, args, (a) => orig.call(this, fd, ...a));
  };
}
const closeCb = fs.close;
fs.close = function (fd, ...args) {
  fds.delete(fd);
  return closeCb.call(this, fd, ...args);
};
