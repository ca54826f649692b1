import { describe, expect, it } from 'vitest';
import { chooseEntries, distMismatches, placeBuildBinaries, type BuildBinary } from '../../../../shared/bodhi/build-placement';

const rpm = (name: string, arch: string, version = '2.12', release = '5.fc40', epoch: number | null = 1): BuildBinary => ({ name, version, release, epoch, arch });
const locks = (spec: Record<string, Record<string, string>>) =>
  Object.fromEntries(Object.entries(spec).map(([arch, pkgs]) => [arch, { packages: Object.fromEntries(Object.entries(pkgs).map(([n, a]) => [n, { arch: a }])) }]));

describe('placeBuildBinaries', () => {
  const lockfiles = locks({
    x86_64: { 'grub2-common': 'noarch', 'grub2-tools': 'x86_64', 'grub2-pc': 'x86_64', 'grub2-efi-x64': 'x86_64' },
    aarch64: { 'grub2-common': 'noarch', 'grub2-tools': 'aarch64', 'grub2-efi-aa64': 'aarch64' },
  });
  const build = [
    rpm('grub2', 'src'),
    rpm('grub2-common', 'noarch'),
    rpm('grub2-tools', 'x86_64'),
    rpm('grub2-tools', 'aarch64'),
    rpm('grub2-tools', 'ppc64le'),
    rpm('grub2-pc', 'x86_64'),
    rpm('grub2-efi-x64', 'x86_64'),
    rpm('grub2-efi-aa64', 'aarch64'),
    rpm('grub2-tools-debuginfo', 'x86_64'),
  ];

  it('gives each lockfile arch the binaries the build has for it, with the epoch', () => {
    const p = placeBuildBinaries(build, lockfiles);
    expect(p.targets).toEqual({
      'grub2-common': { x86_64: { evr: '1:2.12-5.fc40', arch: 'noarch' }, aarch64: { evr: '1:2.12-5.fc40', arch: 'noarch' } },
      'grub2-tools': { x86_64: { evr: '1:2.12-5.fc40', arch: 'x86_64' }, aarch64: { evr: '1:2.12-5.fc40', arch: 'aarch64' } },
      'grub2-pc': { x86_64: { evr: '1:2.12-5.fc40', arch: 'x86_64' } },
      'grub2-efi-x64': { x86_64: { evr: '1:2.12-5.fc40', arch: 'x86_64' } },
      'grub2-efi-aa64': { aarch64: { evr: '1:2.12-5.fc40', arch: 'aarch64' } },
    });
  });

  it('skips and reports binaries no lockfile lists; never the source RPM', () => {
    expect(placeBuildBinaries(build, lockfiles).skipped).toEqual(['grub2-tools-debuginfo']);
  });

  it('omits a nil epoch', () => {
    expect(placeBuildBinaries([rpm('grub2-common', 'noarch', '2.12', '5.fc40', null)], lockfiles).targets['grub2-common'].x86_64.evr).toBe('2.12-5.fc40');
    expect(placeBuildBinaries([rpm('grub2-common', 'noarch', '2.12', '5.fc40', 0)], lockfiles).targets['grub2-common'].x86_64.evr).toBe('2.12-5.fc40');
  });

  it('reports arches that lock a binary the build did not make for them', () => {
    const p = placeBuildBinaries([rpm('grub2-tools', 'x86_64')], lockfiles);
    expect(p.notBuiltFor).toEqual({ 'grub2-tools': ['aarch64'] });
    const none = placeBuildBinaries([rpm('grub2-tools', 'i686')], lockfiles);
    expect(none.targets).toEqual({});
    expect(none.skipped).toEqual(['grub2-tools']);
  });

  it('keeps the newer of two builds shipping one binary', () => {
    const p = placeBuildBinaries([rpm('grub2-common', 'noarch', '2.12', '6.fc40'), rpm('grub2-common', 'noarch', '2.12', '5.fc40')], lockfiles);
    expect(p.targets['grub2-common'].aarch64.evr).toBe('1:2.12-6.fc40');
  });
});

describe('chooseEntries', () => {
  const t = (evr: string, arch: string) => ({ evr, arch });

  it('noarch on every arch that locks it: one evra .noarch in the all-arch file', () => {
    expect(chooseEntries({ x86_64: t('1.0-1.fc40', 'noarch'), aarch64: t('1.0-1.fc40', 'noarch') }, { x86_64: 'noarch', aarch64: 'noarch' })).toEqual({ scope: 'all', key: 'evra', value: '1.0-1.fc40.noarch' });
  });

  it('archful with one EVR on every arch that locks it: one evr (also when only one arch locks it)', () => {
    expect(chooseEntries({ x86_64: t('5:5.2.5-1.fc40', 'x86_64'), aarch64: t('5:5.2.5-1.fc40', 'aarch64') }, { x86_64: 'x86_64', aarch64: 'aarch64' })).toEqual({ scope: 'all', key: 'evr', value: '5:5.2.5-1.fc40' });
    expect(chooseEntries({ x86_64: t('1:2.12-5.fc40', 'x86_64') }, { x86_64: 'x86_64' })).toEqual({ scope: 'all', key: 'evr', value: '1:2.12-5.fc40' });
  });

  it('missing on an arch that locks it: evra per arch, so that arch keeps its version', () => {
    expect(chooseEntries({ x86_64: t('1.0-1.fc40', 'x86_64') }, { x86_64: 'x86_64', aarch64: 'aarch64' })).toEqual({ scope: 'arch', evra: { x86_64: '1.0-1.fc40.x86_64' } });
  });

  it('EVRs differing per arch, or an arch change: evra per arch', () => {
    expect(chooseEntries({ x86_64: t('1.0-1.fc40', 'x86_64'), aarch64: t('1.0-2.fc40', 'aarch64') }, { x86_64: 'x86_64', aarch64: 'aarch64' }).scope).toBe('arch');
    expect(chooseEntries({ x86_64: t('1.0-1.fc40', 'x86_64') }, { x86_64: 'noarch' })).toEqual({ scope: 'arch', evra: { x86_64: '1.0-1.fc40.x86_64' } });
  });
});

describe('distMismatches', () => {
  it('names binaries built for another release than the stream', () => {
    const targets = { a: { x86_64: { evr: '1-1.fc41', arch: 'x86_64' } }, b: { x86_64: { evr: '1-1.fc40', arch: 'noarch' } }, c: { x86_64: { evr: '1-1.el9', arch: 'noarch' } } };
    expect(distMismatches(targets, 40)).toEqual([
      { name: 'a', evr: '1-1.fc41', tag: 'fc41' },
      { name: 'c', evr: '1-1.el9', tag: null },
    ]);
    expect(distMismatches(targets, null)).toEqual([]);
  });
});
