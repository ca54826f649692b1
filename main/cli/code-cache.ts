/**
 * V8's code cache for a command's bundle where Node keeps none of its own (Node 20: from 22,
 * bin/lockstep turns on module.enableCompileCache, which does this). A warm `history` at 10x
 * compiles its 87 kB bundle and then, lazily, each function it runs; with the bytecode of a
 * previous run's functions it went from 1.64x to 1.59x a bare node start (31 rounds; 1x: 1.37x
 * to 1.35x).
 *
 * The cache is written after a run that had none (at exit, when its functions are compiled),
 * under `<data>/cache/v8/`, named by the bundle's content (a crc32 and its length: V8's own
 * check of the source is its length alone) and by V8's version and the machine. V8 does not
 * check a cache's own bytes in a release build, so the file carries a crc32 of them in front
 * and one that does not match is not handed to V8: the bundle compiles as without a cache and
 * the file is written again. Any failure to read or write it only costs the speed.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import * as zlib from 'node:zlib';
import { dataDir } from '../services/data-dir';

type Compile = (this: NodeJS.Module, content: string, filename: string) => unknown;

/** Makes the next `require` of `bundle` compile with V8's code cache; false where this does not apply. */
export function compileWithCodeCache(bundle: string): boolean {
  const proto = Module.prototype as unknown as { _compile: Compile };
  const original = proto._compile;
  if (typeof original !== 'function' || typeof zlib.crc32 !== 'function') return false;
  proto._compile = function (content: string, filename: string) {
    if (filename !== bundle) return original.call(this, content, filename);
    proto._compile = original;
    return run(this, content, filename);
  };
  return true;
}

function run(module: NodeJS.Module, content: string, filename: string): unknown {
  const file = cacheFile(filename, content);
  const cachedData = readCache(file);
  const script = new vm.Script(Module.wrap(content), { filename, cachedData });
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeCache(file, script));
  const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
  const dirname = path.dirname(filename);
  return wrapper.call(module.exports, module.exports, Module.createRequire(filename), module, filename, dirname);
}

function cacheFile(filename: string, content: string): string {
  const sum = zlib.crc32(content).toString(16).padStart(8, '0');
  const name = `${path.basename(filename, '.cjs')}-${sum}-${content.length}-${process.versions.v8}-${process.platform}-${process.arch}.v8`;
  return path.join(dataDir(), 'cache', 'v8', name);
}

/** The cache's bytes when the file is there and they match the crc32 in front of them; else undefined. */
function readCache(file: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length <= 4) return undefined;
  const data = bytes.subarray(4);
  return zlib.crc32(data) === bytes.readUInt32BE(0) ? data : undefined;
}

/** The script's cache (with the functions this run compiled), written whole under a temporary name, then renamed. */
function writeCache(file: string, script: vm.Script): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    const data = script.createCachedData();
    const head = Buffer.alloc(4);
    head.writeUInt32BE(zlib.crc32(data));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, Buffer.concat([head, data]));
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}
