import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { parseLockfile } from '../../../../shared/lockfile/manifest-lock';

const ctx = { file: 'manifest-lock.x86_64.json', commit: 'c'.repeat(40) };

function expectBadFile(fn: () => unknown, ...parts: string[]): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe('bad-file');
    for (const p of parts) expect(e.message).toContain(p);
    return e;
  }
  throw new Error('expected an error');
}

describe('parseLockfile', () => {
  it('parses the current shape with metadata.sourcerpm and top-level metadata', () => {
    const text = JSON.stringify({
      packages: {
        NetworkManager: { evra: '1:1.46.2-1.fc40.x86_64', metadata: { sourcerpm: 'NetworkManager' } },
        'device-mapper': { evra: '1.02.197-1.fc40.x86_64', metadata: { sourcerpm: 'lvm2' } },
      },
      metadata: { generated: '2024-10-23T00:00:00Z', rpmmd_repos: { fedora: { generated: 'x' } } },
    });
    const lf = parseLockfile(text, 'x86_64', 'json', ctx);
    expect(lf.packages.NetworkManager).toEqual({ evr: '1:1.46.2-1.fc40', arch: 'x86_64', sourcerpm: 'NetworkManager' });
    expect(lf.packages['device-mapper'].sourcerpm).toBe('lvm2');
    expect(lf.metadata?.generated).toBe('2024-10-23T00:00:00Z');
  });

  it('parses the 2019 shape of {evra, digest} entries', () => {
    const text = JSON.stringify({ packages: { GeoIP: { evra: '1.6.12-5.fc30.x86_64', digest: 'sha256:21dc' } } });
    const lf = parseLockfile(text, 'x86_64', 'json', ctx);
    expect(lf.packages.GeoIP).toEqual({ evr: '1.6.12-5.fc30', arch: 'x86_64', digest: 'sha256:21dc' });
    expect(lf.metadata).toBeUndefined();
  });

  it('parses bare {evra} entries with no top-level metadata', () => {
    const lf = parseLockfile('{"packages": {"a": {"evra": "1-1.fc31.noarch"}}}', 'x86_64', 'json', ctx);
    expect(lf.packages.a).toEqual({ evr: '1-1.fc31', arch: 'noarch' });
  });

  it('parses an empty packages mapping', () => {
    expect(parseLockfile('{"packages": {}}', 'aarch64', 'json', ctx).packages).toEqual({});
  });

  it('omits a zero epoch and keeps odd releases', () => {
    const lf = parseLockfile(
      '{"packages": {"openssh": {"evra": "0:9.6p1-1.fc40.4.x86_64"}}}',
      'x86_64',
      'json',
      ctx,
    );
    expect(lf.packages.openssh).toEqual({ evr: '9.6p1-1.fc40.4', arch: 'x86_64' });
  });

  it('reads a lockfile named .yaml that holds JSON', () => {
    const lf = parseLockfile('{"packages": {"a": {"evra": "1-1.fc32.x86_64"}}}', 'x86_64', 'yaml', {
      file: 'manifest-lock.x86_64.yaml',
    });
    expect(lf.packages.a.evr).toBe('1-1.fc32');
  });

  it('names the file, commit and line of malformed JSON', () => {
    const e = expectBadFile(() => parseLockfile('{\n "packages": {\n  "a": }\n}', 'x86_64', 'json', ctx), 'manifest-lock.x86_64.json:3', 'cccccccccccc', 'malformed JSON');
    expect(e.data.line).toBe(3);
  });

  it('names the package of an entry with an unknown shape', () => {
    const e = expectBadFile(
      () => parseLockfile('{"packages": {"kernel": {"version": "6.1"}}}', 'x86_64', 'json', ctx),
      'kernel',
      'unknown lockfile shape',
      'cccccccccccc',
    );
    expect(e.data.package).toBe('kernel');
  });

  it('rejects a document without packages', () => {
    expectBadFile(() => parseLockfile('{"pkgs": {}}', 'x86_64', 'json', ctx), 'no "packages"');
    expectBadFile(() => parseLockfile('[1]', 'x86_64', 'json', ctx), 'unknown lockfile shape');
    expectBadFile(() => parseLockfile('{"packages": [1]}', 'x86_64', 'json', ctx), 'not a mapping');
  });

  it('rejects an evra without arch or release, naming the package', () => {
    expectBadFile(() => parseLockfile('{"packages": {"a": {"evra": "1.0"}}}', 'x86_64', 'json', ctx), '"a"');
  });

  it('rejects a metadata block of an unknown shape', () => {
    expectBadFile(
      () => parseLockfile('{"packages": {"a": {"evra": "1-1.x86_64", "metadata": {"sourcerpm": 3}}}}', 'x86_64', 'json', ctx),
      '"a"',
      'sourcerpm',
    );
  });
});
