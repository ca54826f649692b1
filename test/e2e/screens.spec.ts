/**
 * The streams grouping (release streams first, other branches in a collapsible group in
 * natural order), hide/show from the UI, and the settings screen applied without a restart.
 */
import { shot, startApp, type RunningApp } from './helpers/app';
import { keyboardProblems } from './helpers/audit';
import { expect, test } from './helpers/offline';
import { buildScreensRepo, SCREENS } from './helpers/screens';

let app: RunningApp;

test.beforeAll(async () => {
  app = await startApp({ repo: buildScreensRepo() });
});
test.afterAll(async () => {
  await app?.stop();
});

test('streams: release streams first, other branches grouped in natural order, hidden and shown from the UI', async ({ page }) => {
  await page.goto(app.at('#/streams'));
  const rows = page.getByTestId('stream-row');
  await expect(rows).toHaveCount(7);
  // The group's heading row spans the table (a flex row drew it under the first column only).
  const [heading, table] = await Promise.all([page.getByTestId('toggle-other-streams').locator('xpath=ancestor::th').boundingBox(), page.getByTestId('streams-table').boundingBox()]);
  expect(heading!.width).toBeGreaterThan(table!.width * 0.95);
  await page.getByTestId('toggle-other-streams').click();
  await expect(rows).toHaveCount(9);
  await expect(rows.nth(7)).toHaveAttribute('data-stream', 'rhcos-4.6');
  await expect(rows.nth(8)).toHaveAttribute('data-stream', 'rhcos-4.10');
  await page.getByTestId('hide-rhcos-4.6').click();
  await expect(rows).toHaveCount(8);
  await expect(page.getByTestId('hidden-note')).toContainText('rhcos-4.6');
  await page.getByTestId('show-rhcos-4.6').click();
  await expect(rows).toHaveCount(9);
});

test('settings: validated as typed, saved and applied without a restart', async ({ page }) => {
  await page.goto(app.at('#/settings'));
  await page.getByTestId('set-concurrency').fill('0');
  await expect(page.getByTestId('problem-set-concurrency')).toContainText('1 to 8');
  await expect(page.getByTestId('save-settings')).toBeDisabled();
  await page.getByTestId('set-concurrency').fill('3');
  await page.getByTestId('set-pool').fill('not a url');
  await expect(page.getByTestId('problem-set-pool')).toContainText('not an http(s) URL');
  await page.getByTestId('set-pool').fill('https://pool.example.org/$basearch/');
  await page.getByTestId('set-streams-add').fill('');
  await page.getByTestId('save-settings').click();
  await expect(page.getByTestId('settings-note')).toHaveText('Saved and applied.');
  await page.reload();
  await expect(page.getByTestId('set-concurrency')).toHaveValue('3');
  await expect(page.getByTestId('set-pool')).toHaveValue('https://pool.example.org/$basearch/');
  // Hiding a stream from settings applies to the streams view at once.
  await page.goto(app.at('#/streams'));
  await page.getByTestId('hide-next').click();
  await page.goto(app.at('#/settings'));
  await expect(page.getByTestId('hidden-streams')).toContainText('next');
  await page.getByTestId('unhide-next').click();
  await page.getByTestId('save-settings').click();
  await expect(page.getByTestId('settings-note')).toHaveText('Saved and applied.');
  await page.goto(app.at('#/streams'));
  await expect(page.locator('[data-testid="stream-row"][data-stream="next"]')).toHaveCount(1);

  // The GitHub token: where it would be kept, what is in use; a paste gone wrong is refused unquoted.
  await page.goto(app.at('#/settings'));
  const token = page.getByTestId('github-token');
  await token.scrollIntoViewIfNeeded();
  await expect(token.getByTestId('github-token-status')).toHaveAttribute('data-source', 'none');
  await expect(token).toContainText("kept in git's credential helper");
  await token.getByTestId('set-github-token').fill('ghp_two words');
  await token.getByTestId('save-github-token').click();
  await expect(token.getByTestId('github-token-note')).toContainText('not a GitHub token');
  await expect(token.getByTestId('github-token-note')).not.toContainText('ghp_two');
  await expect(token.getByTestId('set-github-token')).toHaveValue('');
  await shot(page, 'settings-github-token');
});

// Every control on every screen is reached by Tab, in the order the page gives, and shows where
// the focus is; nothing answers a click that no key reaches (helpers/audit.ts).
test('every screen: each control is reached by Tab and shows its focus, and nothing answers only a click', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const problems: string[] = [];
  for (const s of SCREENS) {
    await page.goto(app.at(s.hash));
    await s.ready(page);
    await page.waitForTimeout(150);
    problems.push(...(await keyboardProblems(page, s.name)));
  }
  expect(problems).toEqual([]);
});
