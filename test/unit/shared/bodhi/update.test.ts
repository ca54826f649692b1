import { describe, expect, it } from 'vitest';
import { bodhiErrorMessage, updateFromBodhiJson } from '../../../../shared/bodhi/update';
import { AppError } from '../../../../shared/errors';

const update = {
  alias: 'FEDORA-2024-abc123',
  url: 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-abc123',
  title: 'podman-5.2.5-1.fc40',
  builds: [{ nvr: 'podman-5.2.5-1.fc40', epoch: 5, signed: true, type: 'rpm' }],
  release: { name: 'F40', long_name: 'Fedora 40', version: '40', id_prefix: 'FEDORA', branch: 'f40', dist_tag: 'f40' },
  status: 'testing',
};

describe('updateFromBodhiJson', () => {
  it('reads GET /updates/<alias>: {update, can_edit}', () => {
    expect(updateFromBodhiJson({ update, can_edit: false }, 'FEDORA-2024-abc123')).toEqual({
      alias: 'FEDORA-2024-abc123',
      url: 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-abc123',
      builds: ['podman-5.2.5-1.fc40'],
      distTag: 'f40',
      releaseVersion: '40',
      cves: [],
      type: null,
    });
  });

  it('reads the CVE ids from the bugs\' titles', () => {
    const u = { ...update, type: 'security', bugs: [{ bug_id: 1, title: 'cve-2026-1234 podman: escape [fedora-all]' }, { bug_id: 2, title: 'CVE-2026-0001, CVE-2026-1234' }] };
    expect(updateFromBodhiJson({ update: u }, 'FEDORA-2024-abc123')).toMatchObject({ cves: ['CVE-2026-0001', 'CVE-2026-1234'], type: 'security' });
  });

  it('refuses another update than the one asked for, naming Bodhi', () => {
    expect(() => updateFromBodhiJson({ update: { ...update, alias: 'FEDORA-2024-000000' } }, 'FEDORA-2024-abc123')).toThrow(/Bodhi's answer for FEDORA-2024-abc123 is not an update \(it is update FEDORA-2024-000000\)/);
    expect(() => updateFromBodhiJson({ updates: [{ ...update, alias: 'FEDORA-2024-000000' }], total: 1 }, 'FEDORA-2024-abc123')).toThrow(/no update FEDORA-2024-abc123/);
  });

  it('reads the list form {updates, total}, picking the alias asked for', () => {
    const other = { ...update, alias: 'FEDORA-2024-000000', builds: [{ nvr: 'x-1-1.fc40' }] };
    expect(updateFromBodhiJson({ updates: [other, update], total: 2, page: 1, pages: 1, rows_per_page: 20 }, 'FEDORA-2024-abc123').builds).toEqual(['podman-5.2.5-1.fc40']);
  });

  it('an empty list or an error body is not-found', () => {
    for (const body of [{ updates: [], total: 0 }, { status: 'error', errors: [{ location: 'url', name: 'id', description: 'Invalid update id' }] }]) {
      let err: unknown;
      try {
        updateFromBodhiJson(body, 'FEDORA-2024-dead00');
      } catch (e) {
        err = e;
      }
      expect((err as AppError).code).toBe('not-found');
      expect((err as AppError).message).toContain('FEDORA-2024-dead00');
    }
  });

  it('anything else is an error saying the answer is not an update', () => {
    expect(() => updateFromBodhiJson({ hello: 1 }, 'FEDORA-2024-abc123')).toThrow(/not an update/);
    expect(() => updateFromBodhiJson({ update: { alias: 'FEDORA-2024-abc123', builds: [{}] } }, 'FEDORA-2024-abc123')).toThrow(/without nvr/);
  });
});

describe('bodhiErrorMessage', () => {
  it("joins cornice's error descriptions", () => {
    expect(bodhiErrorMessage({ status: 'error', errors: [{ location: 'url', name: 'id', description: 'Invalid update id' }] })).toBe('Invalid update id');
    expect(bodhiErrorMessage({ update })).toBeNull();
  });
});
