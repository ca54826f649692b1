import { describe, expect, it } from 'vitest';
import { graduationSourceNote, graduationTargets } from '../../../shared/graduation';

describe('graduation: targets and the words for the last check', () => {
  it('drafts removals on the release streams only, others when asked', () => {
    const c = ['testing-devel', 'rhcos-4.6', 'stable', 'rhcos-4.10', 'next-devel'].map((stream) => ({ stream }));
    expect(graduationTargets(c, false).map((g) => g.stream)).toEqual(['testing-devel', 'stable', 'next-devel']);
    expect(graduationTargets(c, true)).toHaveLength(5);
  });

  it('says when the answer was read, never "offline" for the last check the cache holds', () => {
    expect(graduationSourceNote({ online: true, rows: [] })).toBe('repo metadata read just now');
    const cached = graduationSourceNote({ online: false, rows: [{ checked: null }, { checked: '2026-12-06T21:03:11.000Z' }] });
    expect(cached).toBe('repo metadata from the last check, 2026-12-06 21:03 UTC');
    expect(cached).not.toMatch(/offline/);
    expect(graduationSourceNote({ online: false, rows: [{ checked: null }] })).toBe('never checked online: only a newer base lockfile can tell');
  });
});
