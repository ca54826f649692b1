/**
 * The git identity is asked once and kept where the user chooses (issue 12): in git's global
 * config, so another repo (another app run, same home) never asks again; or in this clone's
 * own config only, leaving the global config untouched.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { SHOTS, saveDraft, shot, startApp, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';

const apps: RunningApp[] = [];
test.afterAll(async () => {
  await Promise.all(apps.map((a) => a.stop()));
});

async function start(home?: string): Promise<RunningApp> {
  const app = await startApp({ identity: false, home });
  apps.push(app);
  return app;
}

/** Opens the demo repo and previews a fast-track of zincati on testing-devel. */
async function previewDraft(page: Page, app: RunningApp): Promise<void> {
  await page.goto(app.url);
  await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('stream-row')).toHaveCount(6);
  await page.goto(`${app.url.split('?')[0]}#/draft?name=zincati&stream=testing-devel`);
  await page.getByTestId('action-fast-track').check();
  await page.getByTestId('pkg-evr').fill('0.0.30-1.fc40');
  await page.getByTestId('bodhi').fill('https://bodhi.fedoraproject.org/updates/FEDORA-2024-0123456789');
  await page.getByTestId('preview').click();
  await expect(page.getByTestId('stream-preview')).toHaveCount(1);
}

const gitConfig = (args: string[], home: string) => {
  try {
    return execFileSync('git', ['config', ...args], { env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1' }, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

test('asked once, kept in git\'s global config: another repo (a later run, same home) does not ask again', async ({ page }) => {
  const first = await start();
  await previewDraft(page, first);
  await expect(page.getByTestId('identity-form')).toBeVisible();
  await expect(page.getByTestId('identity-scope-global')).toBeChecked();
  await expect(page.getByTestId('save-draft')).toBeDisabled();
  await page.getByTestId('identity-name').fill('Ada Maintainer');
  await page.getByTestId('identity-email').fill('ada@example.org');
  await page.getByTestId('identity-form').screenshot({ path: path.join(SHOTS, '50-identity-asked.png') });
  await page.getByRole('button', { name: 'Save identity' }).click();
  await expect(page.getByTestId('identity-form')).toHaveCount(0);
  await saveDraft(page);
  await expect(page.getByTestId('saved')).toContainText('lockstep/testing-devel/rust-zincati-0.0.30-1.fc40');
  await shot(page, '50-identity-then-saved');
  expect(gitConfig(['--global', 'user.name'], first.home)).toBe('Ada Maintainer');
  expect(gitConfig(['--global', 'user.email'], first.home)).toBe('ada@example.org');
  // Not in the clone's own config: that is what "global" means.
  const demo = path.join(first.dataDir, 'demo');
  expect(gitConfig(['--file', path.join(demo, fs.existsSync(path.join(demo, '.git')) ? '.git/config' : 'config'), 'user.name'], first.home)).toBe('');

  // Another run with another data folder (so another repo), the same home: no prompt, authored as Ada.
  const second = await start(first.home);
  await previewDraft(page, second);
  await expect(page.getByTestId('save-draft')).toBeEnabled();
  await expect(page.getByTestId('identity-form')).toHaveCount(0);
  await saveDraft(page);
  await expect(page.getByTestId('saved')).toBeVisible();
  const demo2 = path.join(second.dataDir, 'demo');
  const author = execFileSync('git', ['-C', demo2, 'log', '-1', '--format=%an <%ae>', 'lockstep/testing-devel/rust-zincati-0.0.30-1.fc40'], { encoding: 'utf8' }).trim();
  expect(author).toBe('Ada Maintainer <ada@example.org>');
});

test('kept in this repo\'s config only: the global config stays as it was', async ({ page }) => {
  const app = await start();
  await previewDraft(page, app);
  await page.getByTestId('identity-scope-repo').check();
  await page.getByTestId('identity-name').fill('Bo Packager');
  await page.getByTestId('identity-email').fill('bo@example.org');
  await page.getByRole('button', { name: 'Save identity' }).click();
  await expect(page.getByTestId('identity-form')).toHaveCount(0);
  await saveDraft(page);
  await expect(page.getByTestId('saved')).toBeVisible();
  const demo = path.join(app.dataDir, 'demo');
  expect(execFileSync('git', ['-C', demo, 'config', '--local', 'user.name'], { encoding: 'utf8' }).trim()).toBe('Bo Packager');
  expect(gitConfig(['--global', 'user.name'], app.home)).toBe('');
  expect(fs.existsSync(path.join(app.home, '.gitconfig'))).toBe(false);
});
