/**
 * The demo's six months, day by day: what the bot, the maintainers and the releasers do, each
 * as a task at an hour of the day. The order of the calls below is the order of the random
 * draws, and so part of the commit ids (demo-pinned.test.ts): add new events at the end of a
 * day's list, or the pinned ids change.
 */
import { cloneSources, src, srcNvr, withVersion } from './catalog';
import { advance, nextRelease } from './evolution';
import type { LockPkgs } from './lockfiles';
import { cloneOverrides, entriesFor, overrideFiles } from './overrides';
import { ALEX, BOT, GITHUB, JORDAN, MAINTAINERS, SAM, tracker } from './people';
import { manifestYaml, README, type Arch } from './tree-files';
import { fedora40Updates, fedora41Updates } from './updates';
import { HOUR, type DevLine, type Task, type World } from './world';

/** Days of history before `now`. */
export const SPAN = 182;
/** The last promotion of testing-devel to testing (testing-devel moves on for a few days after). */
const LAST_TESTING_PROMOTION = 177;
const testingPromotionDays = new Set<number>();
for (let d = 9; d <= LAST_TESTING_PROMOTION; d += 14) testingPromotionDays.add(d);
const nextPromotionDays = new Set<number>();
for (let d = 68; d < SPAN - 1; d += 14) nextPromotionDays.add(d);

/** What happens on `day`, in hour order. */
export function dayTasks(w: World, day: number): Task[] {
  const tasks: Task[] = [];
  botBumps(w, day, tasks);
  testingDevelStory(w, day, tasks);
  graduations(w, day, tasks);
  nextDevelStory(w, day, tasks);
  rawhideStory(w, day, tasks);
  backports(w, day, tasks);
  promotions(w, day, tasks);
  return tasks.sort((a, b) => a[0] - b[0]);
}

/** testing-devel: the bot bumps on most days, and always when a scripted update lands; next-devel too once it exists. */
function botBumps(w: World, day: number, tasks: Task[]): void {
  const { td, at, bump, rand } = w;
  const change40 = fedora40Updates[day];
  if (day > 0 && (change40 || rand() < 0.5 || day >= SPAN - 3)) {
    const time = at(day, 4);
    const count = Math.floor(rand() * 4);
    tasks.push([4, () => {
      change40?.(td);
      bump(td, time, count);
    }]);
  } else if (change40) {
    tasks.push([4, () => change40(td)]);
  }
  if (w.nd && day > 60) {
    const change41 = fedora41Updates[day];
    if (change41 || rand() < 0.45) {
      const time = at(day, 5);
      const count = Math.floor(rand() * 3);
      const line = w.nd;
      tasks.push([5, () => {
        change41?.(line);
        bump(line, time, count);
      }]);
    }
  }
}

/** Maintainers' override changes on testing-devel (pins, fast-tracks, a pull request) and rawhide's first commit. */
function testingDevelStory(w: World, day: number, tasks: Task[]): void {
  const { td, at, bodhi, commit, editOverrides, rawhide, root } = w;
  const t14 = at(day, 14);
  switch (day) {
    case 1: {
      // rawhide: no lockfiles, only the override file.
      tasks.push([14, () => {
        rawhide.files = overrideFiles(rawhide.overrides!);
        rawhide.head = commit(rawhide.files, rawhide.overrides!, 'rawhide: drop the lockfiles\n\nrawhide follows the newest packages; only overrides apply here.\n', [root], t14, SAM);
      }]);
      break;
    }
    case 12: {
      tasks.push([14, () => {
        const nm = src(td, 'NetworkManager');
        const reason = tracker(1742);
        Object.assign(td.overrides.all, entriesFor(nm, 40, { type: 'pin', reason }));
        td.overrides.all.NetworkManager.comment = 'Hold NetworkManager: 1.46.2 breaks team devices set up by Ignition';
        editOverrides(td, t14, `overrides: pin ${srcNvr(nm, 40)}\n\nReason: ${reason}\n`, ALEX);
      }]);
      break;
    }
    case 30: {
      tasks.push([14, () => {
        const nm = withVersion(src(td, 'NetworkManager'), { version: '1.46.0' });
        for (const b of nm.bins) delete td.overrides.all[b.name];
        editOverrides(td, t14, `overrides: unpin ${srcNvr(nm, 40)}\n\nThe team device fix is in 1.46.2: ${tracker(1742)}\n`, ALEX);
      }]);
      break;
    }
    case 38: {
      tasks.push([14, () => {
        const p = withVersion(src(td, 'podman'), { version: '5.2.0~rc2', release: '1' });
        const meta = { type: 'fast-track' as const, bodhi: bodhi(), reason: tracker(1755) };
        Object.assign(td.overrides.all, entriesFor(p, 40, meta));
        td.overrides.all.podman.comment = 'Release candidate: fixes the quadlet regression before 5.2.0 ships';
        editOverrides(td, t14, `overrides: fast-track ${srcNvr(p, 40)}\n\nBodhi: ${meta.bodhi}\nReason: ${meta.reason}\n`, SAM);
      }]);
      break;
    }
    case 95: {
      tasks.push([14, () => {
        const g = src(td, 'grub2');
        const reason = tracker(1781);
        Object.assign(td.overrides.all, entriesFor(g, 40, { type: 'pin', reason }, ['grub2-pc', 'grub2-pc-modules']));
        td.overrides.all['grub2-pc'].comment = 'BIOS boot fails with grub2 2.12-5 on some x86_64 machines; inert on other arches';
        td.overrides.arch.aarch64 = entriesFor(g, 40, { type: 'pin', reason }, ['grub2-efi-aa64']);
        for (const e of Object.values(td.overrides.arch.aarch64)) {
          e.evra = `${e.evr}.aarch64`;
          delete e.evr;
        }
        td.overrides.arch.aarch64['grub2-efi-aa64'].comment = 'Same regression on aarch64 UEFI firmware';
        editOverrides(td, t14, `overrides: pin ${srcNvr(g, 40)}\n\nKeep the BIOS and aarch64 EFI bootloaders on 2.12-4.\nReason: ${reason}\n`, JORDAN);
      }]);
      break;
    }
    case 118: {
      // A pull request on a side branch, merged tomorrow after the bot has bumped the base.
      tasks.push([14, () => {
        const l = withVersion(src(td, 'lvm2'), { version: '2.03.24', sub: '1.02.198', release: '1' });
        const meta = { type: 'fast-track' as const, bodhi: bodhi(), reason: tracker(1796) };
        const side = cloneOverrides(td.overrides);
        Object.assign(side.all, entriesFor(l, 40, meta));
        const files1 = { ...td.files, ...overrideFiles(side) };
        const c1 = commit(files1, side, `overrides: fast-track ${srcNvr(l, 40)}\n\nBodhi: ${meta.bodhi}\nReason: ${meta.reason}\n`, [td.head], t14, ALEX);
        side.all.lvm2.comment = 'lvm2 2.03.24 fixes the udev rule race that breaks multipath boots';
        const files2 = { ...files1, ...overrideFiles(side) };
        const c2 = commit(files2, side, 'overrides: explain the lvm2 fast-track\n', [c1], at(day + 1, 10), ALEX);
        w.sideBranch = { head: c2, overrides: side, title: `overrides: fast-track ${srcNvr(l, 40)}` };
      }]);
      break;
    }
    case 119: {
      tasks.push([16, () => {
        const side = w.sideBranch!;
        td.overrides = cloneOverrides(side.overrides);
        td.files = { ...td.files, ...overrideFiles(td.overrides) };
        td.head = commit(td.files, td.overrides, `Merge pull request #3107 from alexm/fast-track-lvm2\n\n${side.title}\n`, [td.head, side.head], at(day, 16), ALEX, GITHUB);
      }]);
      break;
    }
    case 150: {
      tasks.push([14, () => {
        const k = src(td, 'kernel');
        const reason = tracker(1807);
        Object.assign(td.overrides.all, entriesFor(k, 40, { type: 'pin', reason }));
        td.overrides.all.kernel.comment = 'Hold the 6.10 kernel until the 6.11 NFS client regression is fixed';
        editOverrides(td, t14, `overrides: pin ${srcNvr(k, 40)}\n\nReason: ${reason}\n`, SAM);
      }]);
      break;
    }
    case 170: {
      tasks.push([14, () => {
        const p = withVersion(src(td, 'podman'), { version: '5.2.5', release: '1' });
        const c = withVersion(src(td, 'containers-common'), { version: '0.60.2', release: '1' });
        const meta = { type: 'fast-track' as const, bodhi: bodhi(), reason: tracker(1812) };
        Object.assign(td.overrides.all, entriesFor(p, 40, meta), entriesFor(c, 40, meta));
        editOverrides(
          td,
          t14,
          `overrides: fast-track ${srcNvr(p, 40)}, ${srcNvr(c, 40)}\n\nBodhi: ${meta.bodhi}\nReason: ${meta.reason}\n`,
          JORDAN,
        );
      }]);
      break;
    }
    case 173: {
      tasks.push([14, () => {
        const pinned = td.overrides.all.kernel.evr!;
        for (const b of src(td, 'kernel').bins) delete td.overrides.all[b.name];
        editOverrides(td, t14, `overrides: unpin kernel-${pinned}\n\n6.11.5 fixes the NFS client regression: ${tracker(1807)}\n`, SAM);
      }]);
      break;
    }
    default:
      break;
  }
}

/** The bot drops fast-tracks once the stable repos carry them. */
function graduations(w: World, day: number, tasks: Task[]): void {
  const { td, at, editOverrides } = w;
  const graduate: Record<number, string[]> = { 46: ['podman'], 132: ['lvm2'] };
  if (graduate[day]) {
    tasks.push([3, () => {
      for (const s of graduate[day]) for (const b of src(td, s).bins) delete td.overrides.all[b.name];
      editOverrides(td, at(day, 3), 'lockfiles: drop graduated overrides 🎓\n', BOT);
    }]);
  }
}

/** next-devel: branched from testing-devel onto Fedora 41 on day 60, then its own overrides. */
function nextDevelStory(w: World, day: number, tasks: Task[]): void {
  const { td, at, bodhi, commit, editOverrides, rand, next, computePkgs, lockFilesOf } = w;
  if (day === 60) {
    tasks.push([12, () => {
      const state = cloneSources(td.state);
      for (const s of state) {
        if (s.removed) continue;
        if (rand() < 0.35) advance(s, rand);
        else s.release = nextRelease(s.release); // the mass rebuild
      }
      Object.assign(state.find((s) => s.name === 'kernel')!, { version: '6.10.6', release: '300' });
      Object.assign(state.find((s) => s.name === 'systemd')!, { version: '256.4', release: '1' });
      Object.assign(state.find((s) => s.name === 'glibc')!, { version: '2.40', release: '3' });
      Object.assign(state.find((s) => s.name === 'fedora-repos')!, { version: '41', release: '0.7' });
      Object.assign(state.find((s) => s.name === 'fedora-release')!, { version: '41', release: '0.20' });
      Object.assign(state.find((s) => s.name === 'selinux-policy')!, { version: '41.12', release: '1' });
      Object.assign(state.find((s) => s.name === 'ignition')!, { version: '2.19.0', release: '2' });
      // Fedora 41 moves python3 to another source package: python3.12 → python3.13.
      Object.assign(state.find((s) => s.name === 'python3.12')!, { name: 'python3.13', version: '3.13.0~rc2', release: '1' });
      const line: DevLine = {
        name: 'next-devel',
        fc: 41,
        state,
        overrides: { all: {}, arch: {}, empty: '[]' },
        pkgs: {} as Record<Arch, LockPkgs>,
        files: {},
        head: td.head,
        fedoraRepo: 0,
      };
      const t = at(day, 12);
      line.fedoraRepo = t - 30 * HOUR;
      line.pkgs = computePkgs(line);
      line.files = { 'README.md': README, 'manifest.yaml': manifestYaml('next-devel', 41), ...lockFilesOf(line, t), ...overrideFiles(line.overrides) };
      line.head = commit(line.files, line.overrides, 'next-devel: rebase onto Fedora 41\n\nFedora 41 has branched from rawhide; next-devel follows it now.\n', [td.head], t, SAM);
      next.head = line.head;
      w.nd = line;
    }]);
  }
  if (w.nd && (day === 100 || day === 140 || day === 165)) {
    const line = w.nd;
    const t = at(day, 15);
    tasks.push([15, () => {
      if (day === 100) {
        const r = src(line, 'rpm-ostree');
        const reason = tracker(1799);
        Object.assign(line.overrides.all, entriesFor(r, 41, { type: 'pin', reason }));
        line.overrides.all['rpm-ostree'].comment = 'Stay on this build until the 41 rebase test passes on s390x';
        editOverrides(line, t, `overrides: pin ${srcNvr(r, 41)}\n\nReason: ${reason}\n`, JORDAN);
      } else if (day === 140) {
        const pinned = line.overrides.all['rpm-ostree'].evr!;
        for (const b of src(line, 'rpm-ostree').bins) delete line.overrides.all[b.name];
        editOverrides(line, t, `overrides: unpin rpm-ostree-${pinned}\n`, JORDAN);
      } else {
        // Our own package: a Bodhi link is enough. Written with an explicit zero epoch.
        const b = bodhi();
        line.overrides.all.ignition = { evr: '0:2.20.0-1.fc41', type: 'fast-track', bodhi: b };
        editOverrides(line, t, `overrides: fast-track ignition-2.20.0-1.fc41\n\nBodhi: ${b}\n`, ALEX);
      }
    }]);
  }
}

/** rawhide: a few override changes (no lockfile there: they only constrain). */
function rawhideStory(w: World, day: number, tasks: Task[]): void {
  const { at, bodhi, editOverrides, rawhide } = w;
  if (day === 90 || day === 120 || day === 141) {
    const t = at(day, 16);
    tasks.push([16, () => {
      const o = rawhide.overrides!;
      if (day === 90) {
        const b = bodhi();
        o.all['rpm-ostree'] = { evr: '2024.8-2.fc42', type: 'fast-track', bodhi: b };
        o.all['rpm-ostree-libs'] = { evr: '2024.8-2.fc42', type: 'fast-track', bodhi: b };
        editOverrides(rawhide, t, `overrides: fast-track rpm-ostree-2024.8-2.fc42\n\nBodhi: ${b}\n`, SAM);
      } else if (day === 120) {
        o.all['grub2-pc'] = { evr: '1:2.12-10.fc42', type: 'pin', reason: tracker(1801), comment: 'x86_64 BIOS only' };
        editOverrides(rawhide, t, `overrides: pin grub2-2.12-10.fc42\n\nReason: ${tracker(1801)}\n`, JORDAN);
      } else {
        delete o.all['rpm-ostree'];
        delete o.all['rpm-ostree-libs'];
        editOverrides(rawhide, t, 'lockfiles: drop graduated overrides 🎓\n', BOT);
      }
    }]);
  }
}

/** Backports straight to testing and stable (a kernel CVE fix), and a fast-track to testing ahead of its promotion. */
function backports(w: World, day: number, tasks: Task[]): void {
  const { td, at, bodhi, editOverrides, testing, stable } = w;
  const who = MAINTAINERS[day % MAINTAINERS.length];
  if (day === 130) {
    tasks.push([13, () => {
      const k = withVersion(src(td, 'kernel'), { version: '6.10.11', release: '200' });
      const meta = { type: 'fast-track' as const, bodhi: bodhi(), reason: tracker(1803) };
      for (const line of [testing, stable]) {
        Object.assign(line.overrides!.all, entriesFor(k, 40, meta));
        editOverrides(line, at(day, line === testing ? 13 : 14), `overrides: fast-track ${srcNvr(k, 40)}\n\nBackport of a CVE fix.\nBodhi: ${meta.bodhi}\nReason: ${meta.reason}\n`, who);
      }
    }]);
  }
  if (day === LAST_TESTING_PROMOTION - 1) {
    // The podman fast-track goes to testing ahead of the next promotion.
    tasks.push([13, () => {
      const names = ['containers-common', 'containers-common-extra', 'podman'];
      for (const n of names) testing.overrides!.all[n] = { ...td.overrides.all[n] };
      const p = td.overrides.all.podman;
      editOverrides(testing, at(day, 13), `overrides: fast-track podman-${p.evr!.replace(/^\d+:/, '')}, containers-common-${td.overrides.all['containers-common'].evra!.replace(/^\d+:/, '').replace(/\.noarch$/, '')}\n\nBackport to testing.\nBodhi: ${p.bodhi}\nReason: ${p.reason}\n`, JORDAN);
    }]);
  }
}

/** Promotions every two weeks: stable takes testing's content, two days later testing takes testing-devel's; next takes next-devel's. */
function promotions(w: World, day: number, tasks: Task[]): void {
  const { td, at, promote, testing, stable, next, promoted } = w;
  if (testingPromotionDays.has(day + 2) && promoted.testing.length) {
    const releaser = MAINTAINERS[Math.floor(day / 14) % MAINTAINERS.length];
    const t = at(day, 19);
    tasks.push([19, () => promote(stable, testing, t, releaser)]);
  }
  if (testingPromotionDays.has(day)) {
    const releaser = MAINTAINERS[Math.floor(day / 14) % MAINTAINERS.length];
    const t = at(day, 20);
    tasks.push([20, () => promote(testing, td, t, releaser)]);
  }
  if (nextPromotionDays.has(day)) {
    const t = at(day, 21);
    tasks.push([21, () => {
      if (w.nd) promote(next, w.nd, t, SAM);
    }]);
  }
}
