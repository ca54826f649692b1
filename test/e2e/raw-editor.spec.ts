import { shot, startApp, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});

test('the override file edits in a bundled Monaco with the rules inline, and saves as a draft', async ({ page }) => {
  const scripts: string[] = [];
  // Toggling the diff used to throw "TextModel got disposed before DiffEditorWidget model got reset".
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
  await page.goto(app.url);
  await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('stream-row')).toHaveCount(6);
  // Monaco is not loaded until an editor opens.
  expect(scripts.some((u) => u.includes('editor.api'))).toBe(false);
  await page.getByTestId('tab-edit').click();
  const editor = page.locator('.monaco-editor').first();
  await expect(editor).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('edit-findings')).toHaveText('No problems');
  // Break the rules: a pin without a reason.
  await editor.click();
  await page.keyboard.press('Control+End');
  // Monaco auto-indents new lines: select that indentation and replace it with the line's own.
  const typeLines = async (lines: string[]) => {
    for (const [i, line] of lines.entries()) {
      if (i > 0) await page.keyboard.press('Enter');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.insertText(line);
    }
  };
  await typeLines(['  zincati:', '    evr: 0.0.28-1.fc40', '    metadata:', '      type: pin']);
  await expect(page.getByTestId('edit-findings')).toContainText('1 errors');
  await expect(page.locator('.findings li.f-error')).toContainText('zincati: a pin must carry metadata.reason');
  await expect(page.getByTestId('edit-save')).toBeDisabled();
  await shot(page, '40-raw-editor-inline-validation');
  await page.getByTestId('edit-diff').check();
  await expect(page.locator('.monaco-diff-editor')).toBeVisible();
  await shot(page, '41-raw-editor-diff');
  // Off and on again: no error.
  await page.getByTestId('edit-diff').uncheck();
  await expect(page.getByTestId('edit-findings')).toContainText('1 errors');
  await page.getByTestId('edit-diff').check();
  await expect(page.locator('.monaco-diff-editor')).toBeVisible();
  // Fix it and save: the draft branch holds the edited file.
  await page.getByTestId('edit-diff').uncheck();
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await typeLines(['      reason: https://github.com/coreos/fedora-coreos-tracker/issues/1830']);
  await expect(page.getByTestId('edit-findings')).toHaveText('No problems');
  await page.getByTestId('edit-message').fill('overrides: pin rust-zincati-0.0.28-1.fc40');
  await page.getByTestId('edit-save').click();
  await expect(page.getByTestId('edit-saved')).toContainText('lockstep/testing-devel/edit-overrides');
  expect(pageErrors).toEqual([]);
});
