// Preloaded into a CLI run (`node -r`): at exit, writes every module the process loaded (npm
// packages by name, our bundles by file, node builtins as node:x) to LOCKSTEP_LOAD_PROBE.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const loaded = new Set();
const load = Module._load;
Module._load = function (request, parent, isMain) {
  loaded.add(request);
  return load.apply(this, arguments);
};
process.on('exit', () => fs.writeFileSync(process.env.LOCKSTEP_LOAD_PROBE, JSON.stringify([...loaded])));
