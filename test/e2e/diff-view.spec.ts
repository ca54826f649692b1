/**
 * The diff view at scale and in detail, on a local clone opened at start (`serve --repo`):
 * 1,300+ changed packages render at once in a virtualized list, keyboard navigation, the
 * overrides toggle and filter, swapping sides, a bad ref, and the Markdown fallback dialog
 * when the clipboard is refused.
 */
import { shot, startApp, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';
import { buildSyntheticRepo, SYNTHETIC } from './helpers/synthetic-repo';

const BULK = 1300;
let app: RunningApp;

test.beforeAll(async () => {
  const repo = buildSyntheticRepo({ bulk: BULK });
  app = await startApp({ repo: repo.dir });
});
test.afterAll(async () => {
  await app?.stop();
});

test('a 1,300-package diff renders at once, virtualized, and the keyboard walks it', async ({ page }) => {
  await page.goto(app.at('#/diff?from=stable&to=testing-devel&arch=x86_64'));
  const total = SYNTHETIC.all.packages + BULK;
  await expect(page.getByTestId('row-count')).toHaveText(`${total} packages`, { timeout: 30_000 });
  await expect(page.getByTestId('count-upgraded')).toHaveText(String(SYNTHETIC.all.upgraded + BULK));
  // Only the rows in view are in the DOM.
  const rendered = await page.getByTestId('change-row').count();
  expect(rendered).toBeGreaterThan(10);
  expect(rendered).toBeLessThan(120);
  await shot(page, '60-big-diff');

  // Scrolling to the end reaches the last package.
  await page.getByTestId('diff-rows').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.locator('[data-testid="change-row"][data-name="bulk-1299"]')).toBeVisible();

  // Keyboard: the selection follows j/k and ↑/↓ and scrolls into view.
  await page.getByTestId('diff-rows').evaluate((el) => (el.scrollTop = 0));
  await page.getByTestId('diff-rows').focus();
  for (let i = 0; i < 40; i++) await page.keyboard.press('j');
  await page.keyboard.press('ArrowUp');
  const selected = page.locator('[data-testid="change-row"][aria-selected="true"]');
  await expect(selected).toHaveCount(1);
  await expect(selected).toBeInViewport();
  const name = await selected.getAttribute('data-name');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('details-name')).toHaveText(name!);
  await shot(page, '61-big-diff-details');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('details')).toHaveCount(0);

  // / focuses the filter; Escape clears it.
  await page.keyboard.press('/');
  await expect(page.getByTestId('diff-filter')).toBeFocused();
  await page.keyboard.type('bulk-src-0001');
  await expect(page.getByTestId('row-count')).toHaveText('3 packages');
  await expect(page.locator('[data-testid="group-row"][data-source="bulk-src-0001"]')).toContainText('1.0-1.fc40 → 1.1-1.fc40');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('diff-filter')).toHaveValue('');
  await expect(page.getByTestId('row-count')).toHaveText(`${total} packages`);
});

test('overrides: the toggle diffs lockfiles alone, the filter keeps override rows and lists inert ones', async ({ page }) => {
  await page.goto(app.at('#/diff?from=stable&to=testing-devel&arch=x86_64'));
  const podman = page.locator('[data-testid="change-row"][data-name="podman"]');
  await page.getByTestId('diff-filter').fill('podman');
  await expect(podman).toContainText(SYNTHETIC.podman.to);
  await page.getByTestId('overrides-only').click();
  await expect(page.getByTestId('row-count')).toHaveText('1 package');
  await expect(podman.getByTestId('override-badge')).toHaveText('fast-track');
  await expect(page.getByTestId('inert')).toContainText('unchanged, decided by an override: grub2-pc');
  await page.getByTestId('arch-tab-s390x').click();
  await expect(page.getByTestId('inert')).toContainText('s390x · inert on both sides (not in the lockfile):');
  await shot(page, '62-overrides-only');
  await page.getByTestId('overrides-only').click();
  await page.getByTestId('arch-tab-x86_64').click();

  // Overrides off: the lockfile's own podman, and the URL says so.
  await page.locator('label.switch').click();
  await expect(page).toHaveURL(/overrides=off/);
  await expect(podman).toContainText('5:5.2.4-1.fc40');
  await expect(podman.getByTestId('override-badge')).toHaveCount(0);
  await expect(page.getByTestId('diff-sides')).toContainText('lockfiles only');
  await expect(page.getByTestId('toggle-overrides')).not.toBeChecked();
  await page.locator('label.switch').click();
  await expect(page).not.toHaveURL(/overrides=off/);
  await expect(page.getByTestId('toggle-overrides')).toBeChecked();
  await expect(podman).toContainText(SYNTHETIC.podman.to);

  // Swap: testing-devel → stable turns upgrades into downgrades.
  await page.getByTestId('diff-filter').fill('');
  await page.getByTestId('swap').click();
  await expect(page).toHaveURL(/from=testing-devel&to=stable/);
  await expect(page.getByTestId('count-downgraded')).toHaveText(String(SYNTHETIC.all.upgraded + 1300));

  // A ref that does not exist: the server's message, inline.
  await page.getByTestId('diff-from').fill('no-such-stream');
  await page.getByTestId('compare').click();
  await expect(page.getByTestId('diff-error')).toContainText('unknown ref "no-such-stream"');
  await shot(page, '63-diff-bad-ref');
  // Any commit id typed by hand is valid.
  await page.getByTestId('diff-from').fill('testing-devel~1');
  await page.getByTestId('diff-to').fill('testing-devel');
  await page.getByTestId('compare').click();
  await expect(page.getByTestId('row-count')).toHaveText('1 package');
  await expect(page.locator('[data-testid="change-row"][data-name="podman"]')).toContainText('fast-track');
});

test('Copy as Markdown falls back to a dialog when the clipboard is refused', async ({ page }) => {
  await page.addInitScript({
    content: "Object.defineProperty(navigator.clipboard, 'writeText', { value: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) });",
  });
  await page.goto(app.at('#/diff?from=stable&to=testing-devel&arch=aarch64'));
  await expect(page.getByTestId('row-count')).not.toHaveText('');
  await page.getByTestId('copy-md').click();
  const dialog = page.getByTestId('markdown-fallback');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('markdown-text')).toHaveValue(/\| Source package \|/);
  await expect(page.getByTestId('markdown-text')).toHaveValue(/kernel/);
  await shot(page, '64-markdown-fallback');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toHaveCount(0);
});
