/**
 * The promotion service as the app uses it: the promotion view separates what the promotion
 * carries from what stays per stream, and the app's "Draft promotion" makes the draft
 * `lockstep promote` makes (the same service), equal to the oracle's tree.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, type AppBackend } from '../../../main/app/backend';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { promotionView } from '../../../main/services/promotion/promote';
import { oraclePromotion, promotionRepo } from '../../helpers/promotion-repo';
import { makeTempDir } from '../../helpers/tmp';

const opened: { close(): void }[] = [];
afterEach(() => {
  for (const r of opened.splice(0)) r.close();
});
const open = async (dir: string) => {
  const r = await ConfigRepo.open(dir);
  opened.push(r);
  return r;
};

describe('promotionView', () => {
  it("carries the source's other files as the promoted tree has them and keeps the three per-stream files apart", async () => {
    const { repo, devel } = promotionRepo('2026');
    const v = await promotionView(await open(repo.dir), 'testing-devel', 'testing');
    expect([v.sourceCommit, v.targetHead, v.subject, v.nothing, v.error]).toEqual([devel[2], repo.rev('testing'), `tree: promote changes from testing-devel at ${devel[2]}`, false, null]);
    // manifest.yaml stays the target's: nothing carried; build-args.conf carries VERSION= only.
    expect(v.carried.files.map((f) => `${f.status} ${f.path}`)).toEqual([
      'modified build-args.conf',
      'modified kola-denylist.yaml',
      'modified manifests/fedora-coreos.yaml',
      'removed only-on-production.txt',
      'added tests/kola/basic/new-test.sh',
    ]);
    // STREAM= stays; VERSION= comes; the & of testing's DESCRIPTION= is read as sed does.
    const args = v.carried.files[0].diff;
    expect(args).toContain('+VERSION=42');
    expect(args).not.toMatch(/^[-+]STREAM=/m);
    expect(args).toContain('+DESCRIPTION="Fedora CoreOS Testing DESCRIPTION="Fedora CoreOS Testing Devel" Friends"');
    expect(v.kept[1].explanation).toContain("The & in testing's DESCRIPTION= line stands for testing-devel's line");
    expect(v.carried.files[1].diff).toContain('+  # warn: true (disabled on promotion)');
    expect(v.kept.map((k) => [k.file, k.applies])).toEqual([
      ['manifest.yaml', true],
      ['build-args.conf', true],
      ['kola-denylist.yaml', true],
    ]);
    expect(v.kept[1].diff).toMatch(/^-STREAM=testing-devel$[^]*^\+STREAM=testing$/m);
    expect(v.kept[2].explanation).toContain('6 lines disabled');
    expect(v.openDrafts).toEqual([]);
  });

  it('says why no promotion can be made instead of failing, and refuses unknown streams', async () => {
    const { repo } = promotionRepo('2026');
    repo.checkout('testing');
    repo.commit('build-args: lose STREAM=', { 'build-args.conf': 'VERSION=41\n' });
    const r = await open(repo.dir);
    const v = await promotionView(r, 'testing-devel', 'testing');
    expect(v.error).toMatch(/testing's build-args.conf \(at [0-9a-f]{12}\) has no STREAM= line/);
    expect([v.kept, v.carried.files]).toEqual([[], []]);
    await expect(promotionView(r, 'nope', 'testing')).rejects.toMatchObject({ code: 'bad-input' });
  });
});

describe('the app\'s "Draft promotion"', () => {
  let backend: AppBackend | null = null;
  afterEach(() => backend?.dispose());

  it("makes the oracle's tree through the same service, lists drafts open on the source, and answers nothing to promote as bad input", async () => {
    const { repo } = promotionRepo('2024');
    backend = createBackend({ host: 'browser', emit: () => undefined, dataDir: makeTempDir(), initialRepo: repo.dir, reopenLast: false });
    await backend.start();
    const pin = await backend.handlers['drafts:save']({ stream: 'testing-devel', action: 'pin', requests: [{ name: 'bash', evr: '5.2.32-1.fc41' }], reason: 'https://example.org/1' });
    const d = await backend.handlers['promotion:draft']({ source: 'testing-devel', target: 'testing' });
    expect(d).toMatchObject({ type: 'promote', stream: 'testing', promotion: { source: 'testing-devel', commit: repo.rev('testing-devel') } });
    expect(repo.rev(`${d.branch}^{tree}`)).toBe(oraclePromotion(repo, 'testing-devel', 'testing'));
    const v = await backend.handlers['promotion:view']({ source: 'testing-devel', target: 'testing' });
    expect(v.openDrafts.map((x) => [x.branch, x.title])).toEqual([[pin.branch, 'overrides: pin bash-5.2.32-1.fc41']]);
    expect(v.drafts).toEqual([d.branch]);
    repo.git('update-ref', 'refs/heads/testing', d.head);
    await expect(backend.handlers['promotion:draft']({ source: 'testing-devel', target: 'testing' })).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/^nothing to promote/) });
    expect((await backend.handlers['promotion:view']({ source: 'testing-devel', target: 'testing' })).nothing).toBe(true);
  });
});
