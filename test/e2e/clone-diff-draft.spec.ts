import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { createRepo, lockfileJson, overridesYaml } from '../helpers/repo-builder';
import { saveDraft, shot, startApp, tempDir, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';

let server: GitServer;
let app: RunningApp;

/** A small config repo: testing-devel ahead of stable, with an override and an odd arch. */
function syntheticRepo(root: string): void {
  const repo = createRepo(path.join(tempDir('lockstep-e2e-src-'), 'src'));
  repo.branch('testing-devel');
  const lock = (arch: string, kernel: string, podman: string) =>
    lockfileJson({
      kernel: { evra: `${kernel}.${arch}`, sourcerpm: 'kernel' },
      'kernel-core': { evra: `${kernel}.${arch}`, sourcerpm: 'kernel' },
      podman: { evra: `5:${podman}.${arch}`, sourcerpm: 'podman' },
      tzdata: { evra: '2024a-5.fc40.noarch', sourcerpm: 'tzdata' },
      ...Object.fromEntries(Array.from({ length: 40 }, (_x, i) => [`lib${i}`, { evra: `1.${i}-1.fc40.${arch}`, sourcerpm: `lib${i}` }])),
    });
  const files = (kernel: string, podman: string) =>
    Object.fromEntries(['x86_64', 'aarch64'].map((a) => [`manifest-lock.${a}.json`, lock(a, kernel, podman)]));
  repo.commit('lockfiles: import', { ...files('6.9.12-200.fc40', '5.2.3-1.fc40'), 'manifest-lock.overrides.yaml': overridesYaml({}) });
  repo.branch('stable', 'testing-devel');
  repo.checkout('testing-devel');
  repo.commit('lockfiles: bump to latest', files('6.10.12-200.fc40', '5.2.4-1.fc40'));
  repo.commit('overrides: fast-track podman-5.2.5-1.fc40', {
    'manifest-lock.overrides.yaml': overridesYaml({ podman: { evr: '5:5.2.5-1.fc40', type: 'fast-track', bodhi: 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638' } }),
  });
  repo.bareClone(path.join(root, 'config.git'));
  execFileSync('git', ['--git-dir', path.join(root, 'config.git'), 'symbolic-ref', 'HEAD', 'refs/heads/testing-devel']);
}

test.beforeAll(async () => {
  const root = tempDir('lockstep-e2e-srv-');
  syntheticRepo(root);
  server = await startGitServer({ root });
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
  await server?.stop();
});

async function cloneThroughUi(page: Page, url: string, shotName: string) {
  await page.goto(app.url);
  await page.getByTestId('clone-url').fill(url);
  // A small repo clones in milliseconds: watch for the progress bar from before the click.
  const progressShown = page.waitForSelector('[data-testid="progress"]', { state: 'attached', timeout: 30_000 });
  await page.getByTestId('clone').click();
  await progressShown;
  await shot(page, shotName);
  await expect(page.getByTestId('streams-table')).toBeVisible({ timeout: 60_000 });
}

test('clone a synthetic repo, review its diff, and draft a pin', async ({ page }) => {
  await cloneThroughUi(page, server.repoUrl('config.git'), '70-draft-clone-progress');
  await expect(page.getByTestId('stream-row')).toHaveCount(2);
  await page.getByTestId('quick-diff').click();
  await expect(page.getByTestId('count-upgraded')).toHaveText('3');
  await page.getByTestId('arch-tab-x86_64').click();
  await expect(page.getByTestId('count-upgraded')).toHaveText('3');
  const podman = page.locator('[data-testid="change-row"][data-name="podman"]');
  await expect(podman).toContainText('5:5.2.3-1.fc40');
  await expect(podman).toContainText('5:5.2.5-1.fc40');
  await expect(podman).toContainText('fast-track');
  await page.getByTestId('diff-filter').fill('kernel');
  await expect(page.getByTestId('change-row')).toHaveCount(2);
  await shot(page, '71-draft-diff-filtered');

  // Draft: pin kernel on stable from the diff's details panel.
  await page.locator('[data-testid="change-row"][data-name="kernel"]').getByRole('button').click();
  await page.getByTestId('draft-pin').click();
  await expect(page.getByTestId('pkg-name')).toHaveValue('kernel');
  await page.getByTestId('pkg-evr').fill('6.9.12-200.fc40');
  await page.getByTestId('preview').click();
  await expect(page.getByTestId('finding-error')).toContainText('a pin must carry metadata.reason');
  await expect(page.getByTestId('save-draft')).toBeDisabled();
  await page.getByTestId('reason').fill('https://github.com/coreos/fedora-coreos-tracker/issues/1');
  await page.getByTestId('preview').click();
  await expect(page.getByTestId('finding-error')).toHaveCount(0);
  await expect(page.getByTestId('file-diff')).toContainText('+  kernel-core:');
  await expect(page.getByTestId('message')).toHaveValue(/^overrides: pin kernel-6\.9\.12-200\.fc40/);
  await shot(page, '72-draft-preview');
  await saveDraft(page);
  await expect(page.getByTestId('saved')).toContainText('lockstep/stable/kernel-6.9.12-200.fc40');
  await page.getByTestId('go-drafts').click();
  await expect(page.getByTestId('draft-row')).toHaveCount(1);
  await expect(page.getByTestId('draft-row')).toContainText('kernel-6.9.12-200.fc40');
  await shot(page, '73-drafts-list');
  // Push it for CI gating: a new branch on the server, the state shown in the list.
  await page.getByTestId('draft-link').click();
  await expect(page.getByTestId('draft-info')).toContainText('overrides: pin kernel-6.9.12-200.fc40');
  await page.getByTestId('push').click();
  await expect(page.getByTestId('info-state')).toHaveText('pushed');
  await expect(page.getByTestId('draft-info')).toContainText('override-stable-kernel-6.9.12-200.fc40');
  await shot(page, '75-draft-info-pushed');
  await page.getByTestId('tab-drafts').click();
  await expect(page.getByTestId('draft-state')).toHaveText('pushed');
  await shot(page, '74-draft-pushed');
});
