/**
 * The diff screen as a maintainer lives in it (issue 12): at 1024×700 the notices take one line
 * each and the list keeps its room; version cells show the part that differs; Enter in the
 * filter picks the first visible match when the selection was filtered out; the streams row of
 * testing-devel (no promotion source) opens its last lockfile change, not an empty `~1` diff.
 */
import AxeBuilder from '@axe-core/playwright';
import { shot, startApp, WINDOW_SIZES, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';
import { buildSyntheticRepo, SYNTHETIC } from './helpers/synthetic-repo';

let app: RunningApp;
let fastTrackBase: string;

test.beforeAll(async () => {
  const repo = buildSyntheticRepo();
  // testing-devel's head touches no lock file: its `~1` diff is empty.
  fastTrackBase = repo.rev('testing-devel~1');
  repo.commit('README: mention the fast-track', { 'README.md': 'Fedora CoreOS config\n' });
  app = await startApp({ repo: repo.dir });
});
test.afterAll(async () => {
  await app?.stop();
});

for (const [w, h] of WINDOW_SIZES) {
  test(`at ${w}×${h}, a diff to a stream without lockfiles keeps the list: one notice line, details on demand`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await page.goto(app.at('#/diff?from=stable&to=rawhide'));
    const notice = page.getByTestId('no-lockfile');
    await expect(notice).toHaveCount(1);
    await expect(notice).toContainText('rawhide: no lockfile for x86_64, aarch64, ppc64le, s390x');
    expect((await notice.boundingBox())!.height).toBeLessThan(40);
    const list = page.getByTestId('diff-rows');
    await expect(page.getByTestId('change-row').first()).toBeVisible();
    // Room for at least seven rows of 30 px under its header, whatever sits above.
    expect((await list.boundingBox())!.height).toBeGreaterThanOrEqual(240);
    await shot(page, `65-diff-no-lockfile-${w}x${h}`);

    await notice.getByText('details').click();
    await expect(notice.getByText('rawhide has no lockfile for x86_64, aarch64, ppc64le, s390x: every package there shows as removed.')).toBeVisible();
    expect((await list.boundingBox())!.height).toBeGreaterThanOrEqual(240);
    // Keyboard: the summary is focusable and toggles with Enter.
    await notice.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect(notice).not.toHaveAttribute('open', '');
  });
}

test('at 1024×700 every version cell shows the part that differs on the new side; the full move is in the tooltip', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(app.at('#/diff?from=stable&to=testing-devel'));
  await expect(page.getByTestId('row-count')).toHaveText(`${SYNTHETIC.all.packages} packages`);
  const clipped = await page.evaluate(`[...document.querySelectorAll('[data-testid="change-row"] .v-cell')].flatMap((cell) => {
    const to = cell.querySelector('.v-changed.v-to');
    if (!to) return [];
    const c = cell.getBoundingClientRect(), t = to.getBoundingClientRect();
    return t.right > c.right + 1 || to.scrollWidth > to.clientWidth + 1 ? [cell.closest('[data-testid="change-row"]').dataset.name + ': ' + to.textContent] : [];
  })`);
  expect(clipped).toEqual([]);
  const kernel = page.locator('[data-testid="change-row"][data-name="kernel"] .v-cell').first();
  await expect(kernel).toHaveAttribute('title', new RegExp(`${SYNTHETIC.kernel.from.replace(/\./g, '\\.')} → ${SYNTHETIC.kernel.to.replace(/\./g, '\\.')}`));
  await shot(page, '66-diff-versions-1024x700');
});

test('Enter in the filter picks the first visible match when the selection was filtered out', async ({ page }) => {
  await page.goto(app.at('#/diff?from=stable&to=testing-devel&arch=x86_64'));
  await page.getByTestId('diff-filter').fill('podman');
  await page.locator('[data-testid="change-row"][data-name="podman"]').click();
  await expect(page.getByTestId('details-name')).toHaveText('podman');
  await page.getByTestId('diff-filter').fill('kernel');
  const rows = page.getByTestId('change-row');
  await expect(rows).toHaveCount(SYNTHETIC.kernel.binaries);
  const first = await rows.first().getAttribute('data-name');
  await page.getByTestId('diff-filter').press('Enter');
  await expect(page.locator('[data-testid="change-row"][aria-selected="true"]')).toHaveAttribute('data-name', first!);
  await expect(page.getByTestId('diff-rows')).toBeFocused();
});

test('the testing-devel row opens its last lockfile change, passing over a head that touched other files', async ({ page }) => {
  await page.goto(app.at('#/streams'));
  await page.locator('[data-testid="stream-row"][data-stream="testing-devel"]').click();
  await expect(page).toHaveURL(new RegExp(`#/diff\\?from=${fastTrackBase}&to=testing-devel`));
  await expect(page.getByTestId('row-count')).toHaveText('1 package');
  await expect(page.locator('[data-testid="change-row"][data-name="podman"]')).toContainText('5.2.5');
});

for (const [w, h] of WINDOW_SIZES) {
  test(`at ${w}×${h}, the promotion view lists the other files that differ, each with its diff`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await page.goto(app.at('#/diff?from=stable&to=testing-devel'));
    const tab = page.getByTestId('tab-other-files');
    await expect(tab).toContainText('Other files 1');
    await tab.click();
    await expect(page).toHaveURL(/show=files/);
    const readme = page.locator('[data-testid="other-file"][data-path="README.md"]');
    await expect(readme).toContainText('added');
    await expect(readme.getByTestId('other-file-diff').locator('.ld-hunk')).toHaveText('@@ -0,0 +1,1 @@');
    await expect(readme.getByTestId('diff-line')).toHaveAttribute('data-kind', 'add');
    await expect(readme.getByTestId('diff-line')).toContainText('Fedora CoreOS config');
    await shot(page, `67-promotion-other-files-${w}x${h}`);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    // Back to the packages: the arch tab leaves the files view.
    await page.getByTestId('arch-tab-all').click();
    await expect(page).not.toHaveURL(/show=files/);
    await expect(page.getByTestId('change-row').first()).toBeVisible();
    // Between testing-devel and its last lockfile change, no other file differs.
    await page.goto(app.at(`#/diff?from=${fastTrackBase}&to=testing-devel~1&show=files`));
    await expect(page.getByTestId('no-other-files')).toBeVisible();
  });
}
