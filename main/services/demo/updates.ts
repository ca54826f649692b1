/**
 * The distro's scripted updates, day → change: the traps of real data (a 6.9 → 6.10 kernel,
 * an epoch bump that rolls a version back, a `~rc` build, a package removed and re-added, a
 * binary turning noarch at the same version). Random bumps come on top (see evolution.ts).
 */
import { src, type Src } from './catalog';

/** A change to a dev stream's view of the distro's repos. */
export type Update = (line: { state: Src[] }) => void;

// Scripted repo changes for Fedora 40 (testing-devel): day → change.
const kernel40: [number, string][] = [
  [9, '6.9.9'], [17, '6.9.12'], [24, '6.10.3'], [36, '6.10.5'], [50, '6.10.6'], [64, '6.10.7'], [80, '6.10.8'],
  [98, '6.10.9'], [112, '6.10.10'], [126, '6.10.11'], [140, '6.10.12'], [152, '6.11.3'], [168, '6.11.5'],
];
export const fedora40Updates: Record<number, Update> = {
  14: (l) => Object.assign(src(l, 'NetworkManager'), { version: '1.46.2', release: '1' }),
  25: (l) => Object.assign(src(l, 'skopeo'), { version: '1.16.1', release: '1' }),
  // An epoch bump rolls skopeo back to 1.16.0: an upgrade by rpm's rules.
  55: (l) => Object.assign(src(l, 'skopeo'), { epoch: 2, version: '1.16.0', release: '2' }),
  46: (l) => {
    Object.assign(src(l, 'podman'), { version: '5.2.0', release: '1' });
    Object.assign(src(l, 'containers-common'), { version: '0.60.0', release: '1' });
  },
  60: (l) => Object.assign(src(l, 'fedora-repos'), { release: '2' }),
  70: (l) => void (src(l, 'toolbox').removed = true),
  75: (l) => Object.assign(src(l, 'podman'), { version: '5.2.1', release: '1' }),
  // Same EVR, new arch: the helper scripts are rebuilt as noarch.
  80: (l) => void (src(l, 'console-login-helper-messages').noarch = true),
  88: (l) => Object.assign(src(l, 'ignition'), { version: '2.19.0', release: '1' }),
  // openssh's odd release: the dist tag sits inside it.
  90: (l) => Object.assign(src(l, 'openssh'), { release: '1%.6' }),
  97: (l) => Object.assign(src(l, 'grub2'), { release: '5' }),
  100: (l) => Object.assign(src(l, 'podman'), { version: '5.2.2', release: '1' }),
  105: (l) => Object.assign(src(l, 'toolbox'), { removed: false, version: '0.0.99.6', release: '1' }),
  132: (l) => Object.assign(src(l, 'lvm2'), { version: '2.03.24', sub: '1.02.198', release: '1' }),
  135: (l) => {
    Object.assign(src(l, 'podman'), { version: '5.2.3', release: '1' });
    Object.assign(src(l, 'containers-common'), { version: '0.60.1', release: '1' });
  },
  150: (l) => Object.assign(src(l, 'grub2'), { release: '6' }),
};
for (const [day, v] of kernel40) {
  const prev = fedora40Updates[day];
  fedora40Updates[day] = (l) => {
    prev?.(l);
    Object.assign(src(l, 'kernel'), { version: v, release: '200' });
  };
}
const kernel41: [number, string][] = [[80, '6.10.9'], [100, '6.10.11'], [120, '6.11.2'], [140, '6.11.3'], [160, '6.11.5']];
export const fedora41Updates: Record<number, Update> = {
  // Python 3.13 arrives as a release candidate, then final: `~rc` sorts before the release.
  150: (l) => Object.assign(src(l, 'python3.13'), { version: '3.13.0', release: '1' }),
  158: (l) => Object.assign(src(l, 'fedora-release'), { release: '25' }),
  159: (l) => Object.assign(src(l, 'fedora-repos'), { release: '1' }),
  171: (l) => Object.assign(src(l, 'ignition'), { version: '2.20.0', release: '1' }),
};
for (const [day, v] of kernel41) {
  const prev = fedora41Updates[day];
  fedora41Updates[day] = (l) => {
    prev?.(l);
    Object.assign(src(l, 'kernel'), { version: v, release: '300' });
  };
}
