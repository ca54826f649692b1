import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { createRepo, lockfileJson, overridesYaml } from '../helpers/repo-builder';
import { expectOffline, keepOffline, shot, startApp, tempDir, type RunningApp } from './helpers/app';

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
  await app.stop();
  await server.stop();
});

test('credentials are asked only when the server asks, a wrong one is rejected, the right one clones', async ({ page }) => {
  const foreign = keepOffline(page);
  await page.goto(app.url);
  await page.getByTestId('clone-url').fill(server.repoUrl('private.git'));
  await page.getByTestId('clone').click();
  await expect(page.getByTestId('credential-prompt')).toBeVisible();
  await expect(page.getByTestId('credential-prompt')).toContainText(server.repoUrl('private.git'));
  await page.getByTestId('cred-username').fill('ada');
  await page.getByTestId('cred-password').fill('wrong-token');
  await page.getByTestId('cred-submit').click();
  await expect(page.getByTestId('credential-rejected')).toBeVisible();
  await shot(page, '30-credentials-rejected');
  await page.getByTestId('cred-username').fill('ada');
  await page.getByTestId('cred-password').fill('right-token');
  await page.getByTestId('cred-submit').click();
  await expect(page.getByTestId('streams-table')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('stream-row')).toHaveCount(1);
  // The secret never reaches the page.
  expect(await page.content()).not.toContain('right-token');
  expectOffline(foreign);
});
