/**
 * An independent, plain reading of effective locks with the git CLI, for checking Lockstep's
 * answers: lockfile entry, then the all-arch override, then the arch override (YAML, JSON).
 */
import { execFileSync } from 'node:child_process';
import { parse as parseYaml } from 'yaml';

type Plain = Map<string, { evr: string; arch: string }>;

/** Reads `<rev>:<file>` specs with one `git cat-file --batch`; null for missing ones. */
export function catFiles(repo: string, specs: string[]): ({ oid: string; text: string } | null)[] {
  const out = execFileSync('git', ['-C', repo, 'cat-file', '--batch'], { input: `${specs.join('\n')}\n`, maxBuffer: 1 << 30 });
  const res: ({ oid: string; text: string } | null)[] = [];
  let pos = 0;
  for (let k = 0; k < specs.length; k++) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString();
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      res.push(null);
      pos = nl + 1;
      continue;
    }
    const [oid, , size] = header.split(' ');
    res.push({ oid, text: out.subarray(nl + 1, nl + 1 + Number(size)).toString('utf8') });
    pos = nl + 1 + Number(size) + 1;
  }
  return res;
}

const stripZeroEpoch = (evr: string) => evr.replace(/^0:/, '');
const splitEvra = (evra: string) => {
  const i = evra.lastIndexOf('.');
  return { evr: stripZeroEpoch(evra.slice(0, i)), arch: evra.slice(i + 1) };
};

const parsedLocks = new Map<string, Plain>();
const parsedOverrides = new Map<string, Record<string, { evr?: string; evra?: string }>>();

function lockOf(blob: { oid: string; text: string }): Plain {
  let m = parsedLocks.get(blob.oid);
  if (!m) {
    m = new Map();
    const doc = JSON.parse(blob.text) as { packages?: Record<string, { evra: string }> };
    for (const [name, e] of Object.entries(doc.packages ?? {})) m.set(name, splitEvra(e.evra));
    parsedLocks.set(blob.oid, m);
  }
  return m;
}

function overridesOf(blob: { oid: string; text: string }): Record<string, { evr?: string; evra?: string }> {
  let o = parsedOverrides.get(blob.oid);
  if (!o) {
    const pkgs = (parseYaml(blob.text, { uniqueKeys: false }) as { packages?: unknown } | null)?.packages;
    o = pkgs && typeof pkgs === 'object' && !Array.isArray(pkgs) ? (pkgs as Record<string, { evr?: string; evra?: string }>) : {};
    parsedOverrides.set(blob.oid, o);
  }
  return o;
}

const filesFor = (arch: string) => [
  `manifest-lock.${arch}.json`,
  `manifest-lock.${arch}.yaml`,
  'manifest-lock.overrides.yaml',
  `manifest-lock.overrides.${arch}.yaml`,
  `manifest-lock.overrides.${arch}.json`,
];

function effectiveFrom(blobs: ({ oid: string; text: string } | null)[]): Plain {
  const [json, yaml, ...overrides] = blobs;
  const lock = json ?? yaml;
  const out: Plain = lock ? new Map(lockOf(lock)) : new Map();
  if (!lock) return out;
  for (const b of overrides) {
    if (!b) continue;
    for (const [name, o] of Object.entries(overridesOf(b))) {
      const base = out.get(name);
      if (!base) continue;
      out.set(name, o.evra ? splitEvra(o.evra) : { evr: stripZeroEpoch(String(o.evr)), arch: base.arch });
    }
  }
  return out;
}

/** The effective lock of one commit and arch. */
export function plainEffective(repo: string, commit: string, arch: string): Plain {
  return effectiveFrom(catFiles(repo, filesFor(arch).map((f) => `${commit}:${f}`)));
}

/** The expected `lockstep history` JSON for one package, from the git CLI alone. */
export function plainHistory(repo: string, ref: string, arch: string, name: string) {
  const log = execFileSync('git', ['-C', repo, 'log', '--first-parent', '--format=%H%x09%cI%x09%s', ref], { maxBuffer: 1 << 28 })
    .toString()
    .trim()
    .split('\n')
    .map((l) => l.split('\t'))
    .reverse();
  const files = filesFor(arch);
  const blobs = catFiles(repo, log.flatMap(([c]) => files.map((f) => `${c}:${f}`)));
  const out: { commit: string; date: string; evr: string | null; arch: string | null; subject: string }[] = [];
  let prev = '';
  log.forEach(([commit, date, subject], i) => {
    const e = effectiveFrom(blobs.slice(i * files.length, (i + 1) * files.length)).get(name);
    const state = e ? `${e.evr} ${e.arch}` : '';
    if (state !== prev) out.push({ commit, date, evr: e?.evr ?? null, arch: e?.arch ?? null, subject: subject ?? '' });
    prev = state;
  });
  return out.reverse();
}
