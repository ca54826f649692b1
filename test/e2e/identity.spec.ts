import { shot, startApp, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp({ identity: false });
});
test.afterAll(async () => {
  await app?.stop();
});

test('with no git identity the app asks once, then saves the draft', async ({ page }) => {
  await page.goto(app.url);
  await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('stream-row')).toHaveCount(6);
  await page.goto(`${app.url.split('?')[0]}#/draft?name=zincati&stream=testing-devel`);
  await page.getByTestId('action-fast-track').check();
  await page.getByTestId('pkg-evr').fill('0.0.30-1.fc40');
  await page.getByTestId('bodhi').fill('https://bodhi.fedoraproject.org/updates/FEDORA-2024-0123456789');
  await page.getByTestId('preview').click();
  await expect(page.getByTestId('identity-form')).toBeVisible();
  await expect(page.getByTestId('save-draft')).toBeDisabled();
  await page.getByTestId('identity-name').fill('Ada Maintainer');
  await page.getByTestId('identity-email').fill('ada@example.org');
  await page.getByRole('button', { name: 'Save identity' }).click();
  await expect(page.getByTestId('identity-form')).toHaveCount(0);
  await page.getByTestId('save-draft').click();
  await expect(page.getByTestId('saved')).toContainText('lockstep/testing-devel/rust-zincati-0.0.30-1.fc40');
  await shot(page, '50-identity-then-saved');
});
