import { describe, expect, it } from 'vitest';
import { fetchReportNow } from '../../../shared/fetch-report';

const report = { updated: [{ name: 'stable', from: 'a'.repeat(40), to: 'b'.repeat(40) }], staleDrafts: ['lockstep/stable/podman', 'lockstep/stable/kernel'] };
const heads = new Map([['stable', 'b'.repeat(40)], ['testing', 'c'.repeat(40)]]);
const draft = (branch: string, stale: boolean) => ({ branch, stale });

describe('fetchReportNow', () => {
  it('says everything while the streams stand where the fetch left them and its drafts are stale', () => {
    expect(fetchReportNow(report, heads, [draft('lockstep/stable/podman', true), draft('lockstep/stable/kernel', true)])).toBe(report);
  });

  it('names only the drafts still stale once some are rebased or discarded', () => {
    expect(fetchReportNow(report, heads, [draft('lockstep/stable/podman', false), draft('lockstep/stable/kernel', true)])?.staleDrafts).toEqual(['lockstep/stable/kernel']);
    expect(fetchReportNow(report, heads, [draft('lockstep/stable/kernel', true)])?.staleDrafts).toEqual(['lockstep/stable/kernel']);
  });

  it('has nothing to say once every draft it called stale is rebased', () => {
    expect(fetchReportNow(report, heads, [draft('lockstep/stable/podman', false), draft('lockstep/stable/kernel', false)])).toBeNull();
    expect(fetchReportNow(report, heads, [])).toBeNull();
  });

  it('has nothing to say once a stream it reports has moved again', () => {
    expect(fetchReportNow({ ...report, staleDrafts: [] }, new Map([['stable', 'd'.repeat(40)]]), [])).toBeNull();
  });

  it('keeps a report with no stale drafts, and drops nothing before the streams and drafts are read', () => {
    const moved = { ...report, staleDrafts: [] };
    expect(fetchReportNow(moved, heads, [])).toBe(moved);
    expect(fetchReportNow(report, null, null)).toBe(report);
  });
});
