/**
 * The demo's package set: plausible sources and their binaries, and how a binary is named in
 * a lockfile of a given Fedora release.
 *
 * Tuple: [source name, "[E:]V-R" at the start, binaries, options]. In the release, `%` marks
 * where the dist tag goes (`1%.4` → `1.fc40.4`) and a trailing `!` means no dist tag at all
 * (shim). A binary is `name[/noarch][@arch,arch]`: `/noarch` for a noarch binary of an archful
 * source, `@...` for binaries built only on some arches. Options: `noarch` (every binary is
 * noarch), `fixed` (never bumped at random: its history is scripted or it rarely moves),
 * `rel` (only rebuilds within a release: glibc does not move to a new upstream version),
 * `sub=<version>` (lvm2's device-mapper binaries carry their own version).
 */
type SourceRow = [string, string, string, string?];
const SOURCES: SourceRow[] = [
  ['kernel', '6.9.7-200', 'kernel kernel-core kernel-modules kernel-modules-core', 'fixed'],
  ['systemd', '255.8-1', 'systemd systemd-container systemd-libs systemd-pam systemd-resolved systemd-udev'],
  ['podman', '5:5.1.1-1', 'podman', 'fixed'],
  ['containers-common', '5:0.59.1-1', 'containers-common containers-common-extra', 'noarch fixed'],
  ['container-selinux', '2:2.232.1-1', 'container-selinux', 'noarch'],
  ['crun', '1.15-1', 'crun'],
  ['runc', '2:1.1.12-1', 'runc'],
  ['moby-engine', '24.0.5-4', 'moby-engine'],
  ['containerd', '1.6.23-5', 'containerd'],
  ['skopeo', '1:1.15.1-1', 'skopeo', 'fixed'],
  ['conmon', '2:2.1.10-1', 'conmon'],
  ['netavark', '2:1.11.0-1', 'netavark'],
  ['aardvark-dns', '2:1.11.0-1', 'aardvark-dns'],
  ['passt', '0^20240607.g8a83b53-1', 'passt passt-selinux/noarch'],
  ['fuse-overlayfs', '1.13-1', 'fuse-overlayfs'],
  ['toolbox', '0.0.99.5-6', 'toolbox', 'fixed'],
  ['NetworkManager', '1:1.46.0-1', 'NetworkManager NetworkManager-cloud-setup NetworkManager-libnm NetworkManager-team NetworkManager-tui', 'fixed'],
  ['lvm2', '2.03.23-1', 'device-mapper device-mapper-event device-mapper-event-libs device-mapper-libs lvm2 lvm2-libs', 'fixed sub=1.02.197'],
  ['rpm-ostree', '2024.6-1', 'rpm-ostree rpm-ostree-libs'],
  ['ostree', '2024.6-1', 'ostree ostree-libs'],
  ['ignition', '2.18.0-3', 'ignition'],
  ['rust-afterburn', '5.5.1-2', 'afterburn afterburn-dracut'],
  ['rust-coreos-installer', '0.21.0-1', 'coreos-installer coreos-installer-bootinfra'],
  ['rust-zincati', '0.0.27-3', 'zincati'],
  ['rust-bootupd', '0.2.19-1', 'bootupd'],
  ['rust-ssh-key-dir', '0.1.4-8', 'ssh-key-dir'],
  [
    'console-login-helper-messages',
    '0.21.3-9',
    'console-login-helper-messages console-login-helper-messages-issuegen console-login-helper-messages-motdgen console-login-helper-messages-profile',
    'fixed',
  ],
  ['openssh', '9.6p1-1%.4', 'openssh openssh-clients openssh-server', 'fixed'],
  ['openssl', '1:3.2.2-3', 'openssl openssl-libs'],
  ['glibc', '2.39-15', 'glibc glibc-common glibc-gconv-extra glibc-minimal-langpack', 'rel'],
  ['bash', '5.2.26-3', 'bash', 'rel'],
  ['coreutils', '9.4-6', 'coreutils coreutils-common', 'rel'],
  ['util-linux', '2.40.1-1', 'libblkid libfdisk libmount libsmartcols libuuid util-linux util-linux-core'],
  ['selinux-policy', '40.22-1', 'selinux-policy selinux-policy-targeted', 'noarch'],
  ['libselinux', '3.6-4', 'libselinux libselinux-utils python3-libselinux'],
  ['policycoreutils', '3.6-3', 'policycoreutils'],
  ['fedora-repos', '40-1', 'fedora-gpg-keys fedora-repos fedora-repos-archive', 'noarch fixed'],
  ['fedora-release', '40-39', 'fedora-release-common fedora-release-coreos fedora-release-identity-coreos', 'noarch fixed'],
  ['ca-certificates', '2024.2.68_v8.0.302-1', 'ca-certificates', 'noarch'],
  ['tzdata', '2024a-5', 'tzdata', 'noarch'],
  [
    'linux-firmware',
    '20240610-1',
    'amd-gpu-firmware amd-ucode-firmware atheros-firmware brcmfmac-firmware intel-gpu-firmware linux-firmware linux-firmware-whence nvidia-gpu-firmware realtek-firmware',
    'noarch',
  ],
  ['chrony', '4.5-3', 'chrony'],
  ['git', '2.45.2-2', 'git-core'],
  ['python3.12', '3.12.4-1', 'python-unversioned-command/noarch python3 python3-libs', 'fixed'],
  ['python-requests', '2.31.0-3', 'python3-requests', 'noarch'],
  ['python-urllib3', '1.26.19-1', 'python3-urllib3', 'noarch'],
  ['rpm', '4.19.1.1-1', 'rpm rpm-libs rpm-plugin-selinux', 'rel'],
  ['rust-rpm-sequoia', '1.6.0-3', 'rpm-sequoia'],
  ['libsolv', '0.7.29-1', 'libsolv'],
  ['librepo', '1.18.0-1', 'librepo'],
  ['curl', '8.6.0-9', 'curl libcurl'],
  ['gnutls', '3.8.5-1', 'gnutls'],
  ['krb5', '1.21.2-5', 'krb5-libs'],
  ['e2fsprogs', '1.47.0-5', 'e2fsprogs e2fsprogs-libs libcom_err libss'],
  ['xfsprogs', '6.5.0-3', 'xfsprogs'],
  ['dosfstools', '4.2-11', 'dosfstools'],
  ['btrfs-progs', '6.9.2-1', 'btrfs-progs'],
  ['cryptsetup', '2.7.3-1', 'cryptsetup cryptsetup-libs'],
  ['clevis', '20-2', 'clevis clevis-dracut clevis-luks clevis-systemd'],
  ['tpm2-tss', '4.1.3-1', 'tpm2-tss'],
  ['jose', '13-3', 'jose libjose'],
  ['dracut', '102-2', 'dracut dracut-network dracut-squash'],
  [
    'grub2',
    '1:2.12-4',
    'grub2-common/noarch@x86_64,aarch64,ppc64le grub2-efi-aa64@aarch64 grub2-efi-x64@x86_64 grub2-pc@x86_64 grub2-pc-modules/noarch@x86_64 grub2-ppc64le@ppc64le grub2-ppc64le-modules/noarch@ppc64le grub2-tools@x86_64,aarch64,ppc64le grub2-tools-minimal@x86_64,aarch64,ppc64le',
    'fixed',
  ],
  ['shim', '15.8-3!', 'shim-aa64@aarch64 shim-x64@x86_64', 'fixed'],
  ['efibootmgr', '18-8', 'efibootmgr@x86_64,aarch64'],
  ['mokutil', '2:0.7.1-1', 'mokutil@x86_64,aarch64'],
  ['microcode_ctl', '2:2.1-61.2', 'microcode_ctl@x86_64', 'fixed'],
  ['dmidecode', '1:3.5-3', 'dmidecode@x86_64,aarch64'],
  ['irqbalance', '2:1.9.4-1', 'irqbalance@x86_64,aarch64,ppc64le'],
  ['s390utils', '2:2.33.1-2', 's390utils-base@s390x s390utils-core@s390x'],
  ['ppc64-diag', '2.7.9-6', 'ppc64-diag@ppc64le ppc64-diag-rtas@ppc64le'],
  ['powerpc-utils', '1.3.11-6', 'powerpc-utils-core@ppc64le'],
  ['librtas', '2.0.6-1', 'librtas@ppc64le'],
  ['iptables', '1.8.10-7', 'iptables-libs iptables-nft'],
  ['nftables', '1:1.0.9-3', 'nftables'],
  ['iproute', '6.7.0-1', 'iproute iproute-tc'],
  ['iputils', '20240117-4', 'iputils'],
  ['bind', '32:9.18.27-1', 'bind-libs bind-license/noarch bind-utils'],
  ['sudo', '1.9.15-2.p5', 'sudo', 'fixed'],
  ['shadow-utils', '2:4.15.1-3', 'shadow-utils shadow-utils-subid'],
  ['audit', '4.0.1-1', 'audit audit-libs'],
  ['polkit', '124-2', 'polkit polkit-libs'],
  ['dbus-broker', '36-2', 'dbus-broker'],
  ['dbus', '1:1.14.10-3', 'dbus dbus-common/noarch dbus-libs'],
  ['vim', '2:9.1.393-1', 'vim-data/noarch vim-minimal'],
  ['less', '643-4', 'less'],
  ['tar', '2:1.35-3', 'tar'],
  ['xz', '5.4.6-3', 'xz xz-libs'],
  ['zstd', '1.5.6-1', 'libzstd zstd'],
  ['zlib-ng', '2.1.7-1', 'zlib-ng-compat'],
  ['procps-ng', '4.0.4-3', 'procps-ng'],
  ['kmod', '31-5', 'kmod kmod-libs'],
  ['kexec-tools', '2.0.28-8', 'kexec-tools'],
  ['sssd', '2.9.5-1', 'sssd-client sssd-common'],
  ['nfs-utils', '2.7.1-1', 'libnfsidmap nfs-utils-coreos'],
  ['iscsi-initiator-utils', '6.2.1.9-21.gita65a472', 'iscsi-initiator-utils iscsi-initiator-utils-iscsiuio', 'fixed'],
  ['device-mapper-multipath', '0.9.7-7', 'device-mapper-multipath device-mapper-multipath-libs kpartx'],
  ['nvme-cli', '2.9.1-1', 'nvme-cli'],
  ['libarchive', '3.7.2-4', 'bsdtar libarchive'],
  ['ethtool', '2:6.9-1', 'ethtool'],
  ['bash-completion', '1:2.11-14', 'bash-completion', 'noarch'],
  ['pcre2', '10.44-1', 'pcre2 pcre2-syntax/noarch'],
  ['glib2', '2.80.3-1', 'glib2'],
];

interface Bin {
  name: string;
  noarch: boolean;
  arches: readonly string[] | null;
}

export interface Src {
  name: string;
  epoch: number;
  version: string;
  release: string;
  /** lvm2: the version of its device-mapper binaries. */
  sub?: string;
  bins: Bin[];
  noarch: boolean;
  removed: boolean;
  /** Bumped at random by the bot; false for sources with a scripted history. */
  random: boolean;
  /** Random bumps are rebuilds only (same upstream version). */
  releaseOnly: boolean;
}

function splitEvr(evr: string): { epoch: number; version: string; release: string } {
  const colon = evr.indexOf(':');
  const epoch = colon >= 0 ? Number(evr.slice(0, colon)) : 0;
  const vr = colon >= 0 ? evr.slice(colon + 1) : evr;
  const dash = vr.lastIndexOf('-');
  return { epoch, version: vr.slice(0, dash), release: vr.slice(dash + 1) };
}

export function initialSources(): Src[] {
  return SOURCES.map(([name, evr, bins, opts = '']) => {
    const flags = opts.split(' ').filter(Boolean);
    const sub = flags.find((f) => f.startsWith('sub='))?.slice(4);
    return {
      name,
      ...splitEvr(evr),
      ...(sub ? { sub } : {}),
      bins: bins.split(' ').map((tok) => {
        const [head, arches] = tok.split('@');
        const [binName, kind] = head.split('/');
        return { name: binName, noarch: kind === 'noarch', arches: arches ? arches.split(',') : null };
      }),
      noarch: flags.includes('noarch'),
      removed: false,
      random: !flags.includes('fixed'),
      releaseOnly: flags.includes('rel'),
    };
  });
}

export const cloneSources = (s: Src[]): Src[] => s.map((x) => ({ ...x }));
export const dist = (release: string, fc: number): string =>
  release.endsWith('!') ? release.slice(0, -1) : release.includes('%') ? release.replace('%', `.fc${fc}`) : `${release}.fc${fc}`;
const epochPrefix = (e: number) => (e ? `${e}:` : '');
const usesSub = (s: Src, b: Bin) => s.sub !== undefined && b.name.startsWith('device-mapper');
/** A binary's EVR (no arch) in the given Fedora release. */
export const binEvr = (s: Src, b: Bin, fc: number) => `${epochPrefix(s.epoch)}${usesSub(s, b) ? s.sub : s.version}-${dist(s.release, fc)}`;
export const binArch = (s: Src, b: Bin, arch: string) => (s.noarch || b.noarch ? 'noarch' : arch);
/** The source package's NVR as commit titles name it: no epoch. */
export const srcNvr = (s: Src, fc: number) => `${s.name}-${s.version}-${dist(s.release, fc)}`;
/** A stream's source package by name (the demo names only sources it has). */
export const src = (line: { state: Src[] }, name: string) => line.state.find((s) => s.name === name)!;
/** A source at another version, for an override ahead of (or behind) the repos. */
export const withVersion = (s: Src, v: Partial<Src>): Src => ({ ...s, ...v });
