/** Credentials are asked only when the server asks; a wrong answer is rejected, the right one clones; the secret never reaches the page. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { createRepo, lockfileJson, overridesYaml } from '../helpers/repo-builder';
import { shot, startApp, tempDir, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';

let server: GitServer;
let app: RunningApp;

test.beforeAll(async () => {
  const root = tempDir('lockstep-e2e-auth-');
  const repo = createRepo(path.join(tempDir('lockstep-e2e-src-'), 'src'));
  repo.branch('testing-devel');
  repo.commit('lockfiles: import', { 'manifest-lock.x86_64.json': lockfileJson({ kernel: '6.10.12-200.fc40.x86_64' }), 'manifest-lock.overrides.yaml': overridesYaml({}) });
  repo.bareClone(path.join(root, 'private.git'));
  execFileSync('git', ['--git-dir', path.join(root, 'private.git'), 'symbolic-ref', 'HEAD', 'refs/heads/testing-devel']);
  server = await startGitServer({ root, auth: { username: 'ada', password: 'right-token' } });
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
  await server?.stop();
});

test('the prompt appears when the server asks, a wrong password shows "rejected", the right one clones', async ({ page }) => {
  const url = server.repoUrl('private.git');
  await page.goto(app.url);
  await page.getByTestId('clone-url').fill(url);

  // Cancelling the prompt ends the clone with the server's refusal, shown inline; nothing is kept.
  await page.getByTestId('clone').click();
  const prompt = page.getByTestId('credential-prompt');
  await expect(prompt).toBeVisible();
  await expect(prompt).toContainText(url);
  await expect(page.getByTestId('credential-rejected')).toHaveCount(0);
  await page.getByTestId('cred-cancel').click();
  await expect(prompt).toHaveCount(0);
  await expect(page.getByTestId('clone-error')).toBeVisible();

  // Wrong, then right.
  await page.getByTestId('clone').click();
  await expect(prompt).toBeVisible();
  await page.getByTestId('cred-username').fill('ada');
  await page.getByTestId('cred-password').fill('wrong-token');
  await shot(page, '30-credentials-prompt');
  await page.getByTestId('cred-submit').click();
  await expect(page.getByTestId('credential-rejected')).toBeVisible();
  await expect(page.getByTestId('credential-rejected')).toContainText('Rejected, try again');
  // The username is kept for the retry; the secret is not.
  await expect(page.getByTestId('cred-username')).toHaveValue('ada');
  await expect(page.getByTestId('cred-password')).toHaveValue('');
  await shot(page, '31-credentials-rejected');
  await page.getByTestId('cred-password').fill('right-token');
  await page.getByTestId('cred-submit').click();
  await expect(page.getByTestId('streams-table')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('stream-row')).toHaveCount(1);
  await expect(page.getByTestId('stream-row')).toContainText('testing-devel');

  // The secret never reached the page: not in the DOM, not in storage.
  expect(await page.content()).not.toContain('right-token');
  const stored = (await page.evaluate('JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage })')) as string;
  expect(stored).not.toContain('right-token');
  expect(stored).not.toContain('wrong-token');
});
