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
  page.on('pageerror', (e) => pageErrors.push(`${e.message}\n${e.stack ?? ''}`));
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

/** The editor's lines as shown (leading spaces as spaces), top to bottom. */
const shownLines = `[...document.querySelectorAll('.monaco-editor .view-line')].map((l) => ({ top: parseFloat(l.style.top), t: l.textContent.replace(/\\u00a0/g, ' ') })).sort((a, b) => a.top - b.top).map((x) => x.t)`;
/** The top of each error squiggle and of each line number shown, to tell which line a squiggle is on. */
const squiggleLines = `(() => {
  const ed = document.querySelector('.monaco-editor');
  const nums = [...ed.querySelectorAll('.line-numbers')].map((n) => ({ n: Number(n.textContent), top: n.parentElement.getBoundingClientRect().top }));
  return [...ed.querySelectorAll('.squiggly-error')].map((s) => {
    const top = s.getBoundingClientRect().top;
    return nums.reduce((best, x) => (Math.abs(x.top - top) < Math.abs(best.top - top) ? x : best), { n: 0, top: Infinity }).n;
  });
})()`;

test('typing an override naturally: Enter after a key indents under it, a YAML error has its line and squiggle there, and the diff toggle keeps the marker', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(`${e.message}\n${e.stack ?? ''}`));
  // The demo repo, unless the test above left it open.
  await page.goto(app.url);
  await expect(page.getByTestId('open-demo').or(page.getByTestId('stream-row').first())).toBeVisible();
  if (await page.getByTestId('open-demo').isVisible()) await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('stream-row')).toHaveCount(6);
  await page.goto(app.at('#/edit?stream=testing-devel'));
  const editor = page.locator('.monaco-editor').first();
  await expect(editor).toBeVisible({ timeout: 30_000 });
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // As a person types: keys only, the indentation left to the editor.
  for (const [i, line] of ['packages:', 'zincati:', 'evr: 0.0.28-1.fc40', 'metadata:', 'type: pin', 'reason: https://github.com/coreos/fedora-coreos-tracker/issues/1830'].entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    await page.keyboard.type(line);
  }
  await expect(page.getByTestId('edit-findings')).toHaveText('No problems');
  await expect.poll(() => page.evaluate(shownLines)).toEqual([
    'packages:',
    '  zincati:',
    '    evr: 0.0.28-1.fc40',
    '    metadata:',
    '      type: pin',
    '      reason: https://github.com/coreos/fedora-coreos-tracker/issues/1830',
  ]);

  // A mapping item one column off: the error names line 4 and the squiggle sits there.
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  // Home goes to the first non-blank; Backspace goes back one indentation step, a space makes it 3 columns.
  await page.keyboard.press('Home');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(' ');
  await expect(page.getByTestId('edit-findings')).toHaveText('1 errors, 0 warnings');
  await expect(page.locator('.findings li.f-error')).toContainText(/^line 4: .*All mapping items must start at the same column/);
  await expect.poll(() => page.evaluate(squiggleLines)).toEqual([4]);
  await shot(page, '42-raw-editor-yaml-error-line');

  // The diff and back: no error thrown, the marker still on line 4.
  for (let i = 0; i < 2; i++) {
    await page.getByTestId('edit-diff').check();
    await expect(page.locator('.monaco-diff-editor')).toBeVisible();
    await page.getByTestId('edit-diff').uncheck();
    await expect(page.locator('.monaco-diff-editor')).toHaveCount(0);
    await expect.poll(() => page.evaluate(squiggleLines)).toEqual([4]);
  }
  expect(pageErrors).toEqual([]);
});
