/**
 * Turning "pin podman-5.2.5-1.fc40 on stable" into exact override file edits. A source package
 * expands to every binary of it the stream has, each with its own EVR and arch taken from a
 * lockfile snapshot where the source was at that version (lvm2 builds device-mapper 1.02.x,
 * podman carries epoch 5). Nothing is guessed: what cannot be known offline is asked for.
 */
import { chooseEntries, type BinaryTargets } from '../bodhi/build-placement';
import { AppError } from '../errors';
import { classifyLockPath, overridesName } from '../lockfile/files';
import type { OverrideChange, OverrideEntrySpec } from '../lockfile/overrides-edit';
import type { OverrideEntry, Snapshot } from '../lockfile/types';
import { nameRecord, own } from '../records';
import { compareEvr, formatEvr, isKnownArch, parseEvr, type Evr } from '../rpm/nevra';
import type { DraftAction } from './rationale';
import { snapshotRelease, validateEntry, type Finding } from './validate';

export interface PinRequest {
  /** A binary or source package name. */
  name: string;
  /** `[E:]V-R` the user asked for; absent for unpin. */
  evr?: string;
}

/** Binaries of one source at one version, per arch, as some lockfile snapshot had them. */
export interface SourceVersion {
  commit: string;
  /** arch -> binary -> { evr, arch } */
  arches: Record<string, Record<string, { evr: string; arch: string }>>;
}

export interface PlanInput {
  action: Exclude<DraftAction, 'graduate'>;
  head: Snapshot;
  requests: PinRequest[];
  reason?: string;
  bodhi?: string;
  /** Write per-arch entries in this arch's file only. */
  arch?: string;
  /** Finds a snapshot where `source` was at `evr`; null when none is known offline. */
  findSourceVersion?: (source: string, evr: Evr) => SourceVersion | null;
  /** Builds resolved elsewhere (Koji): each binary's exact target per lockfile arch. */
  builds?: BuildTargets[];
  /** Source packages whose fast-track needs no reason (settings); default the upstream list. */
  ownSources?: readonly string[];
  /** With no reason given, take the reason (and Bodhi link) of the override this draft replaces. */
  keepReason?: boolean;
}

/** One build's binaries placed on a stream's arches, and the source package it is. */
export interface BuildTargets {
  source: { name: string; version: string; release: string };
  binaries: BinaryTargets;
  /** The Bodhi update this build came with: its entries' `metadata.bodhi`. */
  bodhi?: string;
}

export interface FileEdit {
  file: string;
  changes: OverrideChange[];
}

export interface DraftPlan {
  action: PlanInput['action'];
  files: FileEdit[];
  /** binary -> the evr (or noarch evra) written in the all-arch file. */
  packages: Record<string, string>;
  /** binary -> arch -> evra, for entries written in arch files. */
  perArch: Record<string, Record<string, string>>;
  /** Source NVRs for the commit title. */
  srpms: string[];
  /** Sources the draft is about (branch names, metadata). */
  sources: { name: string; version: string; release: string | null }[];
  /** Things the user should know (an arch file entry updated too...). */
  notes: string[];
  findings: Finding[];
  /** Overrides of the stream head this draft replaces (type, version, links). */
  replaces: OverrideEntry[];
  /** The links the entries carry: the request's, or with `keepReason` the replaced override's. */
  reason?: string;
  bodhi?: string;
}

interface BinaryInfo {
  name: string;
  source: string;
  /** arch -> lockfile entry */
  perArch: Record<string, { evr: string; arch: string }>;
}

// Snapshots are never changed once built: a stream's binaries are worked out once per snapshot
// (32k packages took a tenth of a draft's time to index again on each draft).
const binariesOf = new WeakMap<Snapshot, { bins: Map<string, BinaryInfo>; sources: Map<string, BinaryInfo[]> }>();

/** Every binary the stream locks (with its source and per-arch entries), and each source's binaries. */
function binaries(head: Snapshot): { bins: Map<string, BinaryInfo>; sources: Map<string, BinaryInfo[]> } {
  const known = binariesOf.get(head);
  if (known) return known;
  const bins = new Map<string, BinaryInfo>();
  for (const [arch, lf] of Object.entries(head.lockfiles)) {
    for (const [name, e] of Object.entries(lf.packages)) {
      let b = bins.get(name);
      if (!b) bins.set(name, (b = { name, source: e.sourcerpm ?? name, perArch: nameRecord() }));
      if (e.sourcerpm) b.source = e.sourcerpm;
      b.perArch[arch] = { evr: e.evr, arch: e.arch };
    }
  }
  const sources = new Map<string, BinaryInfo[]>();
  for (const b of bins.values()) {
    const list = sources.get(b.source) ?? [];
    list.push(b);
    sources.set(b.source, list);
  }
  const out = { bins, sources };
  binariesOf.set(head, out);
  return out;
}

const nvr = (name: string, evr: Evr) => `${name}-${evr.version}${evr.release ? `-${evr.release}` : ''}`;

/** The overrides of `head` naming one of `names` (binaries, or a source's binaries), first file first. */
function overridesNaming(head: Snapshot, names: readonly string[], sources: Map<string, BinaryInfo[]>): OverrideEntry[] {
  const wanted = new Set(names.flatMap((n) => (sources.has(n) ? sources.get(n)!.map((b) => b.name) : [n])));
  return head.overrides.flatMap((o) => [...wanted].map((n) => own(o.entries, n)).filter((e): e is OverrideEntry => e !== undefined));
}

/** One line per replaced override: `fast-track podman 5:5.2.6-1.fc40 in <file> (Bodhi: …, reason: …)`. */
export function describeReplaced(e: OverrideEntry): string {
  const links = [e.bodhi && `Bodhi: ${e.bodhi}`, e.reason && `reason: ${e.reason}`].filter(Boolean).join(', ');
  return `${e.type ?? 'override'} ${e.name} ${e.evr}${e.arch ? `.${e.arch}` : ''} in ${e.file}${links ? ` (${links})` : ''}`;
}

/** Plans the override edits of a pin, fast-track or unpin draft on a stream head. */
export function planDraft(asked: PlanInput): DraftPlan {
  const { head } = asked;
  const { bins, sources } = binaries(head);
  const replaced = overridesNaming(head, [...asked.requests.map((r) => r.name), ...(asked.builds ?? []).flatMap((b) => Object.keys(b.binaries))], sources);
  // Keeping the old reason: the replaced override's links, where this request gives none.
  const kept = asked.keepReason && asked.action !== 'unpin' ? replaced.find((e) => e.reason || e.bodhi) : undefined;
  const input: PlanInput = kept ? { ...asked, reason: asked.reason ?? kept.reason, bodhi: asked.bodhi ?? kept.bodhi } : asked;
  if (bins.size === 0 && input.action !== 'unpin') {
    throw new AppError('bad-input', 'the stream has no lockfiles: overrides there constrain nothing; pick a stream with lockfiles');
  }
  if (input.arch && !own(head.lockfiles, input.arch)) {
    throw new AppError('bad-input', `--arch ${input.arch}: the stream has no manifest-lock.${input.arch}.json`, { arch: input.arch });
  }
  const plan: DraftPlan = { action: input.action, files: [], packages: nameRecord(), perArch: nameRecord(), srpms: [], sources: [], notes: [], findings: [], replaces: input.action === 'unpin' ? [] : replaced, reason: input.reason, bodhi: input.bodhi };
  for (const e of plan.replaces) plan.notes.push(`replaces the ${describeReplaced(e)}${kept === e ? '; its reason is kept' : ''}`);
  const edits = new Map<string, OverrideChange[]>();
  const edit = (file: string, c: OverrideChange) => {
    const list = edits.get(file) ?? [];
    list.push(c);
    edits.set(file, list);
  };
  const perArchOf = (name: string) => own(plan.perArch, name) ?? (plan.perArch[name] = nameRecord());
  const existingFiles = new Set(head.overrides.map((o) => o.file));
  const archFilesWith = (name: string) =>
    head.overrides.filter((o) => o.scope !== 'all' && own(o.entries, name) && classifyLockPath(o.file)?.format === 'yaml');

  if (input.action === 'unpin') {
    for (const req of input.requests) {
      const names = sources.has(req.name) ? sources.get(req.name)!.map((b) => b.name) : [req.name];
      let found = false;
      for (const file of head.overrides) {
        for (const n of names) {
          const entry = own(file.entries, n);
          if (!entry) continue;
          if (classifyLockPath(file.file)?.format !== 'yaml') {
            throw new AppError('bad-input', `${n} is overridden in ${file.file}, an old JSON file Lockstep does not edit; edit it by hand`, { file: file.file });
          }
          edit(file.file, { op: 'remove', name: n });
          if (file.scope === 'all') plan.packages[n] = entry.evr;
          else perArchOf(n)[file.scope] = entry.evr;
          found = true;
        }
      }
      if (!found) throw new AppError('bad-input', `${req.name}: no override on this stream names it (or its binaries)`, { package: req.name });
      const anyEntry = head.overrides.flatMap((o) => names.map((n) => own(o.entries, n)).filter((e) => e !== undefined))[0];
      const evr = parseEvr(anyEntry.evr);
      plan.srpms.push(nvr(sources.has(req.name) ? req.name : (bins.get(req.name)?.source ?? req.name), evr));
      plan.sources.push({ name: sources.has(req.name) ? req.name : (bins.get(req.name)?.source ?? req.name), version: evr.version, release: evr.release });
    }
  } else {
    const release = snapshotRelease(head);
    const metadata = { bodhi: input.bodhi, reason: input.reason, type: input.action };
    const ctx = { release, ownSources: input.ownSources, sourceOf: (n: string) => bins.get(n)?.source ?? (sources.has(n) ? n : undefined) };
    /** Writes one binary's targets (lockfile arch -> evr and arch) where they take effect. */
    const place = (name: string, per: Record<string, { evr: string; arch: string }>, meta: typeof metadata = metadata) => {
      const arches = Object.keys(per).filter((a) => !input.arch || a === input.arch);
      if (arches.length === 0) return;
      const entryFor = (key: 'evr' | 'evra', value: string): OverrideEntrySpec => ({ name, key, value, metadata: meta });
      const locked = nameRecord<string>();
      for (const [arch, e] of Object.entries(bins.get(name)?.perArch ?? {})) locked[arch] = e.arch;
      const choice = input.arch ? null : chooseEntries(per, locked);
      if (!choice || choice.scope === 'arch') {
        for (const arch of arches) {
          const file = overridesName(arch);
          edit(file, { op: 'set', entry: entryFor('evra', `${per[arch].evr}.${per[arch].arch}`) });
          perArchOf(name)[arch] = `${per[arch].evr}.${per[arch].arch}`;
          if (!existingFiles.has(file)) plan.notes.push(`${file} does not exist yet: it is created with the repo's header`);
          existingFiles.add(file);
        }
        if (!input.arch) {
          const evrs = new Set(arches.map((a) => per[a].evr));
          plan.notes.push(
            evrs.size > 1
              ? `${name}: versions differ between arches, so per-arch entries go in the arch files`
              : `${name}: one entry for all arches would not fit every arch that locks it, so per-arch entries go in the arch files`,
          );
        }
      } else {
        edit(overridesName('all'), { op: 'set', entry: entryFor(choice.key, choice.value) });
        plan.packages[name] = choice.value;
        for (const f of archFilesWith(name)) {
          const arch = f.scope;
          const e = own(per, arch);
          if (!e) continue;
          edit(f.file, { op: 'set', entry: entryFor('evra', `${e.evr}.${e.arch}`) });
          plan.notes.push(`${name} is also overridden in ${f.file}, which would win on ${arch}: that entry is updated too`);
        }
      }
      for (const arch of arches) {
        const cur = own(own(head.lockfiles, arch)?.packages, name);
        if (cur && input.action === 'fast-track' && compareEvr(per[arch].evr, cur.evr) < 0) {
          plan.findings.push({ severity: 'warning', package: name, message: `${name}: fast-track ${per[arch].evr} is older than the lockfile's ${cur.evr} on ${arch}` });
        }
      }
    };
    for (const req of input.requests) {
      if (!req.evr) throw new AppError('bad-input', `${req.name}: give the version to ${input.action}, e.g. ${req.name} 1.2-3.fc40`, { package: req.name });
      const evr = parseEvr(req.evr);
      // `6.10.3-200.fc40.x86_64` parses as an EVR whose release holds the arch: the entry
      // would then name an rpm that does not exist. Overrides take the arch from the lockfile.
      const archTail = evr.release?.slice(evr.release.lastIndexOf('.') + 1);
      if (archTail && evr.release!.includes('.') && isKnownArch(archTail, Object.keys(head.lockfiles))) {
        throw new AppError('bad-input', `${req.name} ${req.evr}: ends with the arch ".${archTail}"; give the EVR without arch, e.g. ${formatEvr({ ...evr, release: evr.release!.slice(0, -archTail.length - 1) })}`, { package: req.name });
      }
      if (evr.release === null) throw new AppError('bad-input', `${req.name} ${req.evr}: give a full version-release, e.g. 1.2-3.fc40`, { package: req.name });
      // target: binary -> arch -> {evr, arch}
      const targets = new Map<string, Record<string, { evr: string; arch: string }>>();
      const members = sources.get(req.name);
      let sourceName = req.name;
      // A name that is a source and also one of its binaries reads as the binary when the same
      // request names other binaries of that source, as the "give each as NAME EVR pairs"
      // answer below asks the user to do; else that answer would be refused again.
      const pairsGiven = members?.some((m) => m.name !== req.name && input.requests.some((r) => r !== req && r.name === m.name)) && bins.has(req.name);
      if (members && !(members.length === 1 && members[0].name === req.name) && !pairsGiven) {
        const found = input.findSourceVersion?.(req.name, evr) ?? null;
        const missing: string[] = [];
        for (const b of members) {
          const per = nameRecord<{ evr: string; arch: string }>();
          for (const arch of Object.keys(b.perArch)) {
            const hit = own(own(found?.arches, arch), b.name) ?? Object.values(found?.arches ?? {}).map((a) => own(a, b.name)).find((x) => x?.arch === 'noarch');
            if (hit) per[arch] = hit;
          }
          if (Object.keys(per).length < Object.keys(b.perArch).length) missing.push(`${b.name} (now ${Object.values(b.perArch)[0].evr})`);
          targets.set(b.name, per);
        }
        if (missing.length) {
          throw new AppError(
            'bad-input',
            `${req.name} ${formatEvr(evr)} is not in any lockfile snapshot Lockstep has, so the EVRs of its binaries are unknown: give each as NAME EVR pairs: ${missing.join(', ')}`,
            { package: req.name },
          );
        }
      } else {
        const b = bins.get(req.name);
        if (!b) throw new AppError('bad-input', `${req.name}: no lockfile of the stream has this package (nor a source package of that name)`, { package: req.name });
        sourceName = b.source;
        const current = Object.values(b.perArch)[0];
        const currentEpoch = parseEvr(current.evr).epoch;
        if (currentEpoch !== '0' && !req.evr.includes(':')) {
          throw new AppError('bad-input', `${req.name} has epoch ${currentEpoch} in the lockfile (${current.evr}); give the epoch: ${currentEpoch}:${req.evr}`, {
            package: req.name,
          });
        }
        const per = nameRecord<{ evr: string; arch: string }>();
        for (const [arch, e] of Object.entries(b.perArch)) per[arch] = { evr: formatEvr(evr), arch: e.arch };
        targets.set(b.name, per);
      }
      plan.srpms.push(nvr(sourceName, evr));
      plan.sources.push({ name: sourceName, version: evr.version, release: evr.release });
      for (const [name, per] of targets) place(name, per);
      // The rules speak of the request (one source), not of each of its binaries.
      plan.findings.push(...validateEntry({ name: req.name, evr: formatEvr(evr), type: input.action, reason: input.reason, bodhi: input.bodhi }, ctx));
    }
    for (const build of input.builds ?? []) {
      const { name, version, release: rel } = build.source;
      plan.srpms.push(`${name}-${version}-${rel}`);
      plan.sources.push({ name, version, release: rel });
      const bodhi = build.bodhi ?? input.bodhi;
      for (const [binary, per] of Object.entries(build.binaries)) place(binary, per, { ...metadata, bodhi });
      plan.findings.push(...validateEntry({ name, evr: `${version}-${rel}`, type: input.action, reason: input.reason, bodhi }, { ...ctx, sourceOf: () => name }));
    }
  }
  // One finding per message: the same rule fires for every binary of a source.
  const seen = new Set<string>();
  plan.findings = plan.findings.filter((f) => (seen.has(f.message) ? false : (seen.add(f.message), true)));
  plan.notes = [...new Set(plan.notes)];
  plan.files = [...edits.entries()].map(([file, changes]) => ({ file, changes }));
  return plan;
}
