/**
 * The raw editor's rules on what a maintainer types (#25 item 4): a binary is judged by its source
 * package (afterburn is built from rust-afterburn, on the distro's own list: its fast-track needs
 * no reason), and a misspelt key is flagged on its line.
 */
import { startApp, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});

test('a fast-track of a binary of an own source needs no reason; a misspelt key is flagged with its line', async ({ page }) => {
  await page.goto(app.url);
  await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('stream-row').first()).toBeVisible();
  await page.getByTestId('tab-edit').click();
  const editor = page.locator('.monaco-editor').first();
  await expect(editor).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('edit-findings')).toHaveText('No problems');
  await editor.click();
  await page.keyboard.press('Control+End');
  const typeLines = async (text: string[]) => {
    for (const line of text) {
      await page.keyboard.press('Enter');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.insertText(line);
    }
  };
  // afterburn (source rust-afterburn) fast-tracked with no reason: nothing to say.
  await typeLines(['  afterburn:', '    evr: 5.7.0-1.fc40', '    metadata:', '      type: fast-track', '      bodhi: https://bodhi.fedoraproject.org/updates/FEDORA-2024-1']);
  await expect(page.getByTestId('edit-findings')).toHaveText('No problems');
  // A misspelt key: named, with its line.
  await typeLines(['    metdata:', '      reason: https://github.com/coreos/fedora-coreos-tracker/issues/1']);
  await expect(page.getByTestId('edit-findings')).toContainText('1 errors');
  const finding = page.locator('.findings li.f-error');
  await expect(finding).toContainText('unknown key "metdata" in afterburn: did you mean "metadata"?');
  await expect(finding).toContainText(/^line \d+: /);
});
