/**
 * The keyboard audit, continued: where focus lands when the page changes under it. After a move
 * to another view by keyboard (a nav link and Enter), focus is on that view's heading, not back
 * on the document; after Save (a draft, the settings), it is on the notice that says what was
 * saved. (Tab order and visible focus on every screen: screens.spec.)
 */
import { startApp, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';
import { buildSyntheticRepo } from './helpers/synthetic-repo';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp({ repo: buildSyntheticRepo().dir });
});
test.afterAll(async () => {
  await app?.stop();
});

const VIEWS = ['diff', 'history', 'drafts', 'overrides', 'graduation', 'advisories', 'edit', 'settings', 'streams'] as const;

test('after a move to another view by keyboard, focus is on its heading', async ({ page }) => {
  await page.goto(app.at('#/streams'));
  await expect(page.getByTestId('streams-table')).toBeVisible();
  for (const view of VIEWS) {
    await page.getByTestId(`tab-${view}`).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId(`tab-${view}`)).toHaveAttribute('aria-current', 'page');
    const heading = page.locator('main h1');
    await expect(heading, `${view}: focus on the view's heading`).toBeFocused({ timeout: 30_000 });
    // The heading is no Tab stop of its own: Tab goes on to the page's first control.
    await expect(heading).toHaveAttribute('tabindex', '-1');
  }
  // A view that draws its heading after a read (the history of the last package asked) gets it too.
  await page.goto(app.at('#/history?name=kernel'));
  await expect(page.getByTestId('history-row').first()).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('tab-drafts').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('main h1')).toBeFocused();
  await page.getByTestId('tab-history').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('main h1')).toHaveText(/^kernel/, { timeout: 30_000 });
  await expect(page.locator('main h1')).toBeFocused();
});

test('after Save, focus is on the notice of what was saved', async ({ page }) => {
  // A pin drafted by keyboard: the form's controls filled, Save pressed with Enter.
  await page.goto(app.at('#/draft?stream=testing-devel&name=kernel'));
  await expect(page.getByTestId('pkg-name')).toHaveValue('kernel');
  await page.getByTestId('pkg-evr').fill('6.10.12-200.fc40');
  await page.getByTestId('reason').fill('https://github.com/coreos/fedora-coreos-tracker/issues/1');
  await page.getByTestId('preview').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('save-draft')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('save-draft').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('saved')).toContainText('Saved');
  await expect(page.getByTestId('saved')).toBeFocused();
  await expect(page.getByTestId('saved')).toHaveAttribute('role', 'status');

  // Settings: the note after Save takes focus too.
  await page.goto(app.at('#/settings'));
  await page.getByTestId('set-concurrency').fill('3');
  await page.getByTestId('save-settings').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('settings-note')).toHaveText('Saved and applied.');
  await expect(page.getByTestId('settings-note')).toBeFocused();
});
