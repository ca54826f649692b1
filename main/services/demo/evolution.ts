/**
 * How the invented distro moves: deterministic randomness and version bumps. The demo's
 * commit ids depend on the exact sequence of `rand()` calls, so every draw stays where it is.
 */
import type { Src } from './catalog';

/** mulberry32: small, fast and the same on every platform. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const hexOf = (rand: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
const ymd = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '');

/** The next upstream version: dates move a month, `2024a` → `2024b`, snapshots get a new date, else the last number grows. */
function nextVersion(v: string, rand: () => number): string {
  if (/^\d{8}$/.test(v)) {
    const d = new Date(Date.UTC(+v.slice(0, 4), +v.slice(4, 6) - 1, +v.slice(6, 8)));
    d.setUTCDate(d.getUTCDate() + 28 + Math.floor(rand() * 6));
    return ymd(d);
  }
  const letter = /^(\d+)([a-y])$/.exec(v);
  if (letter) return `${letter[1]}${String.fromCharCode(letter[2].charCodeAt(0) + 1)}`;
  const snap = /^(\d+)\^(\d{8})\.g[0-9a-f]+$/.exec(v);
  if (snap) return `${snap[1]}^${nextVersion(snap[2], rand)}.g${hexOf(rand, 7)}`;
  return v.replace(/(\d+)(?!.*\d)/, (n) => String(Number(n) + 1 + (rand() < 0.25 ? 1 : 0)));
}

/** A rebuild: the release's leading number grows (`3` → `4`, `1%.4` → `2%.4`... kept simple). */
export function nextRelease(r: string): string {
  if (/^\d+$/.test(r)) return String(Number(r) + 1);
  const m = /^(\d+)%\.(\d+)$/.exec(r); // openssh style: 1.fc40.4 → 1.fc40.5
  if (m) return `${m[1]}%.${Number(m[2]) + 1}`;
  return r.replace(/^(\d+)/, (n) => String(Number(n) + 1));
}

/** A random update of one source, as the distro's update repos would carry it. */
export function advance(s: Src, rand: () => number): void {
  if (s.releaseOnly || rand() < 0.4) {
    s.release = nextRelease(s.release);
  } else {
    s.version = nextVersion(s.version, rand);
    if (s.sub) s.sub = nextVersion(s.sub, rand);
    s.release = s.release.includes('%') ? '1%.1' : '1';
  }
}
