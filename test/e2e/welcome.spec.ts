/** Capability 1 without a network: the welcome screen, the demo repo, opening a local clone by path, recent repos. */
import { shot, startApp, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';
import { buildSyntheticRepo, SYNTHETIC } from './helpers/synthetic-repo';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});

test('a first start shows the welcome screen; the demo repo opens with no network', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('welcome')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Welcome to Lockstep' })).toBeVisible();
  // Three ways in: clone (prefilled with the reference repo), open a local clone, the demo.
  await expect(page.getByTestId('clone-url')).toHaveValue('https://github.com/coreos/fedora-coreos-config.git');
  await expect(page.getByTestId('clone-dest')).toHaveAttribute('placeholder', /repos\/fedora-coreos-config$/);
  await expect(page.getByTestId('open')).toBeDisabled();
  await expect(page.getByTestId('open-demo')).toHaveText('Open demo repo');
  await expect(page.getByTestId('recent')).toContainText('Repositories you clone or open are listed here.');
  // The run's token left the address bar (history, bookmarks, screenshots).
  expect(page.url()).not.toContain('token=');
  await shot(page, '01-welcome');

  await page.getByTestId('open-demo').click();
  const rows = page.getByTestId('stream-row');
  await expect(rows).toHaveCount(6);
  await expect(rows.nth(0)).toContainText('testing-devel');
  await expect(rows.nth(1)).toContainText('testing');
  await expect(rows.nth(2)).toContainText('stable');
  await expect(page.locator('[data-stream="testing"] [data-testid="behind"]')).toHaveText(/^\d+ behind testing-devel$/);
  await expect(page.locator('[data-stream="stable"] [data-testid="behind"]')).toHaveText(/^(\d+ behind testing|up to date)$/);
  await expect(page.locator('[data-stream="testing-devel"] [data-testid="packages-x86_64"]')).toHaveText(/^\d{3}$/);
  await expect(page.getByTestId('repo-name')).toHaveText('Demo repo');
  await expect(page.getByTestId('fetch')).toBeDisabled();
  await shot(page, '02-demo-streams');

  // A reload keeps the repo and the view.
  await page.reload();
  await expect(page.getByTestId('stream-row')).toHaveCount(6);

  // Demo diff, a package's details, then its history (the chart).
  await page.getByTestId('quick-diff').click();
  await expect(page).toHaveURL(/#\/diff\?from=stable&to=testing-devel/);
  await expect(page.getByTestId('side-from')).toContainText('stable');
  await expect(page.getByTestId('side-to')).toContainText('testing-devel');
  await page.getByTestId('diff-filter').fill('kernel');
  await expect(page.getByTestId('change-row').first()).toHaveAttribute('data-name', /kernel/);
  await page.getByTestId('change-row').first().click();
  await expect(page.getByTestId('details')).toBeVisible();
  await expect(page.getByTestId('details')).toContainText('Source package');
  await page.getByTestId('open-history').click();
  await expect(page.getByTestId('timeline-chart')).toBeVisible();
  await expect(page.getByTestId('history-row').first()).toBeVisible();
});

test('a local clone opens by path, a wrong path fails inline, and the recent list reopens it', async ({ page }) => {
  const repo = buildSyntheticRepo();
  await page.goto(app.url);
  // The demo from the test above is still open: switch repository.
  await page.getByTestId('switch-repo').click();
  await expect(page.getByTestId('welcome')).toBeVisible();

  await page.getByTestId('open-path').fill(`${repo.dir}-missing`);
  await page.getByTestId('open').click();
  await expect(page.getByTestId('open-error')).toBeVisible();
  await expect(page.getByTestId('open-error')).toContainText(`${repo.dir}-missing`);
  await shot(page, '04-welcome-open-error');

  await page.getByTestId('open-path').fill(repo.dir);
  await page.getByTestId('open').click();
  const rows = page.getByTestId('stream-row');
  await expect(rows).toHaveCount(SYNTHETIC.streams.length);
  for (const [i, name] of SYNTHETIC.streams.entries()) await expect(rows.nth(i).locator('strong')).toHaveText(name);
  await expect(page.getByTestId('repo-name')).toHaveText('fedora-coreos-config');
  await expect(page.getByTestId('repo-path')).toContainText(repo.dir);

  await page.getByTestId('switch-repo').click();
  const recent = page.getByTestId('recent-repo');
  await expect(recent).toHaveCount(1);
  await expect(recent).toContainText(repo.dir);
  await shot(page, '05-welcome-recent');
  await recent.click();
  await expect(page.getByTestId('stream-row')).toHaveCount(SYNTHETIC.streams.length);
});
