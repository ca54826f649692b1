// Preloaded into a lockstep process (NODE_OPTIONS=--require) to enumerate and kill at its
// writes: every mutating fs call on a path under LOCKSTEP_FAULT_DIR is two numbered points
// (before and after it), whichever API makes it: promises, sync, callback, a FileHandle, a
// file descriptor opened for writing (its writes and truncations, by the path it was opened
// with) and so write streams. LOCKSTEP_FAULT_TRACE lists them; LOCKSTEP_FAULT_AT=N kills the
// process with SIGKILL at point N, as a crash or power cut would, with no cleanup of any kind.
// LOCKSTEP_FAULT_ENOSPC=N instead fails with ENOSPC, as a full disk would, every start of a
// write (open for writing, writeFile, appendFile, copyFile, mkdir, a write to an open file)
// from point N on: the disk stays full, so a retry inside the process fails too.
// LOCKSTEP_FAULT_SHORT=N fills the disk in the middle of a write instead: every write of bytes
// to a file (writeFile, appendFile, a write to an open file or a FileHandle) from point N on puts
// the first half of its bytes in the file, then fails with ENOSPC as the kernel does when the
// disk fills during it: with no path, as Node's errors of a write(2) have none, whichever API
// made it (writeFile too), so the product must name the file itself.
// The tests check the trace against the files that changed on disk: a write this file does not
// see fails them (see `unseenWrites` in the kill test).
'use strict';
const fs = require('node:fs');

const dir = process.env.LOCKSTEP_FAULT_DIR;
const killAt = Number(process.env.LOCKSTEP_FAULT_AT || 0);
const trace = process.env.LOCKSTEP_FAULT_TRACE;
const fullAt = Number(process.env.LOCKSTEP_FAULT_ENOSPC || 0);
const FILLS = /^(open|writeFile|appendFile|copyFile|mkdir|write)(Sync)?$/;
const shortAt = Number(process.env.LOCKSTEP_FAULT_SHORT || 0);
/** The writes of bytes that LOCKSTEP_FAULT_SHORT cuts. */
const BYTES = /^(handle\.)?(writeFile|appendFile|write|writev)(Sync)?$/;
const enospc = (syscall, p) => Object.assign(new Error(`ENOSPC: no space left on device, ${syscall}${p ? ` '${p}'` : ''}`), { code: 'ENOSPC', errno: -28, syscall, ...(p ? { path: p } : {}) });
/** The first half of what a write call was given, as bytes. */
function half(data, encoding) {
  const buf = Buffer.isBuffer(data) ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(String(data), typeof encoding === 'string' ? encoding : 'utf8');
  return buf.subarray(0, Math.floor(buf.length / 2));
}
// LOCKSTEP_FAULT_TORN=N: the write of bytes at point N puts half its bytes, then the process is
// SIGKILLed (a crash in the middle of a write): what a kill at a call's edges cannot show, a
// file written in place is then half old, half new.
const tornAt = Number(process.env.LOCKSTEP_FAULT_TORN || 0);
/** True when this write (its "before" point just counted) is to be cut short. */
const cutShort = (op, p) => ((shortAt > 0 && n >= shortAt) || (tornAt > 0 && n === tornAt)) && under(p) && BYTES.test(op);
/** A cut write was torn by a crash, not failed by a full disk: die here. */
const torn = () => {
  if (tornAt > 0 && n === tornAt) process.kill(process.pid, 'SIGKILL');
};
// The trace is written through the original functions, on its own descriptor: the hook never sees itself.
const rawOpen = fs.openSync;
const rawWrite = fs.writeSync;
const rawClose = fs.closeSync;
let traceFd = null;
const appendTrace = (file, line) => rawWrite((traceFd ??= rawOpen(file, 'a')), line);
let n = 0;
/** fd -> the path it was opened with, for files opened for writing under `dir`. */
const fds = new Map();

const under = (p) => !!dir && typeof p === 'string' && (p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`));

// Not a point: `utimes` is how the writer lock's holder refreshes it, on a timer (every 1.25 s),
// so its points come and go with the machine's speed and would shift every later number between
// the counting run and a killed one. It changes only the lock folder's time, which decides
// nothing after a kill: a dead holder's lock is taken over by the owner named inside it, at once
// (main/services/drafts/writer-lock.ts), not when its time makes it stale.
const UNCOUNTED = new Set(['utimes', 'utimesSync']);

function point(op, p, phase, to) {
  if (!under(p) && !under(to)) return;
  if (UNCOUNTED.has(op)) return;
  n++;
  // Paths relative to the folder, which itself is `/`.
  const rel = (q) => (under(q) ? q.slice(dir.length) || '/' : String(q));
  if (trace) appendTrace(trace, `${n} ${phase} ${op} ${rel(p)}${to ? ` -> ${rel(to)}` : ''}\n`);
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
    if (cutShort(name, pathOf(p))) {
      await orig.call(this, p, half(rest[0], rest[1]?.encoding ?? rest[1]), rest[1]);
      torn();
      throw enospc('write');
    }
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
    const writeP = h.write;
    for (const m of ['write', 'writeFile', 'appendFile', 'truncate', 'writev']) {
      const orig = h[m];
      if (!orig) continue;
      h[m] = async function (...args) {
        point(`handle.${m}`, file, 'before');
        if (cutShort(`handle.${m}`, file)) {
          const [data, a1, a2] = args;
          const bytes = m === 'writev' ? Buffer.concat(data) : Buffer.isBuffer(data) && typeof a1 === 'number' ? data.subarray(a1, a1 + (a2 ?? data.length - a1)) : data;
          await writeP.call(this, half(bytes, a1?.encoding ?? a1));
          torn();
          throw enospc('write');
        }
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
    if (cutShort(`${name}Sync`, pathOf(p))) {
      // Through the original calls: Node's writeFileSync of bytes opens and writes through fs's own.
      const fd = rawOpen(p, name === 'appendFile' ? 'a' : 'w');
      try {
        rawWrite(fd, half(rest[0], rest[1]?.encoding ?? rest[1]));
      } finally {
        rawClose(fd);
      }
      torn();
      throw enospc('write');
    }
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
    if (file && cutShort(name, file)) {
      const [data, a1, a2, a3] = rest;
      const buffered = typeof data !== 'string';
      const bytes = name === 'writevSync' ? Buffer.concat(data) : buffered && typeof a1 === 'number' ? data.subarray(a1, a1 + (a2 ?? data.length - a1)) : data;
      const cut = half(bytes, buffered ? undefined : a2);
      rawWrite(fd, cut, 0, cut.length, (buffered ? a3 : a1) ?? null);
      torn();
      throw enospc('write');
    }
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
    if (name === 'write' && (shortAt || tornAt)) {
      // As withCallback, but the write may be cut short.
      const cb = args.pop();
      point(name, file, 'before');
      if (cutShort(name, file)) {
        const [data, a1, a2, a3] = args;
        const buffered = typeof data !== 'string';
        const bytes = buffered && typeof a1 === 'number' ? data.subarray(a1, a1 + (a2 ?? data.length - a1)) : data;
        const cut = half(bytes, buffered ? undefined : a2);
        return orig.call(this, fd, cut, 0, cut.length, (buffered ? a3 : a1) ?? null, () => {
          torn();
          cb(enospc('write'));
        });
      }
      return orig.call(this, fd, ...args, (err, ...res) => {
        if (!err) point(name, file, 'after');
        cb(err, ...res);
      });
    }
    withCallback(name, file, undefined, args, (a) => orig.call(this, fd, ...a));
  };
}
const closeCb = fs.close;
fs.close = function (fd, ...args) {
  fds.delete(fd);
  return closeCb.call(this, fd, ...args);
};
