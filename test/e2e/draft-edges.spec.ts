/**
 * Paths no other spec drives (issue 27 item 10): a lockfile (not the override file) edited raw
 * in Monaco and saved as a draft; a save while another writer holds the repo's writer lock (the
 * wait said on screen, then a clear failure, then a save once it is free); and, with no forge
 * token or API, the forge's new-PR page opened after a push, through a stubbed opener.
 */
import path from 'node:path';
import { withWriterLock } from '../../main/services/drafts/writer-lock';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../helpers/repo-builder';
import { saveDraft, shot, startApp, tempDir, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';
import { serveAndClone, type ServedRepo } from './helpers/served-repo';

const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';
const LOCK = lockfileJson({
  kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' },
  crun: { evra: '1.17-1.fc40.x86_64', sourcerpm: 'crun' },
});

// The push test pushes the draft the lock test saved.
test.describe.configure({ mode: 'serial' });

let upstream: RepoBuilder;
let served: ServedRepo;
let app: RunningApp;

test.beforeAll(async () => {
  upstream = createRepo(path.join(tempDir('lockstep-e2e-src-'), 'src'));
  upstream.branch('testing-devel');
  upstream.commit('lockfiles: import', { 'manifest-lock.x86_64.json': LOCK, 'manifest-lock.overrides.yaml': overridesYaml({}) });
  // owner/name on the server: the new-PR page is read from the remote URL.
  served = await serveAndClone(upstream, { name: 'coreos/fedora-coreos-config.git' });
  // No forge token or API anywhere: the PR is opened by hand, on the forge's page.
  app = await startApp({ repo: served.clone, env: { LOCKSTEP_GITHUB_TOKEN: '', GITHUB_TOKEN: '', LOCKSTEP_GITHUB_API_URL: '' } });
});
test.afterAll(async () => {
  await app?.stop();
  await served?.stop();
});

test('a lockfile edited raw in the editor is saved as a draft holding exactly that text', async ({ page }) => {
  await page.goto(app.at('#/edit?stream=testing-devel&file=manifest-lock.x86_64.json'));
  await expect(page.getByTestId('edit-file')).toHaveValue('manifest-lock.x86_64.json');
  const editor = page.locator('.monaco-editor').first();
  await expect(editor).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('edit-findings')).toHaveText('No problems');
  // Typed as a maintainer would: to kernel's evra line, the version inside its quotes selected and retyped
  // (Monaco closes brackets and indents what is typed: only the version's own characters are typed).
  const line = LOCK.split('\n').findIndex((l) => l.includes('6.10.1-200.fc40.x86_64'));
  await editor.click();
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < line; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < '6.10.1-200.fc40.x86_64'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.insertText('6.10.2-200.fc40.x86_64');
  await expect(page.getByTestId('edit-findings')).toHaveText('No problems');
  // A broken lockfile is refused before any save: the error is named, Save stays off.
  await page.keyboard.press('End');
  await page.keyboard.insertText(' x');
  await expect(page.getByTestId('edit-findings')).toContainText('1 errors');
  await expect(page.locator('.findings li.f-error')).toContainText('manifest-lock.x86_64.json');
  await expect(page.getByTestId('edit-save')).toBeDisabled();
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await expect(page.getByTestId('edit-findings')).toHaveText('No problems');
  const edited = LOCK.replace('6.10.1-200.fc40.x86_64', '6.10.2-200.fc40.x86_64');
  await page.getByTestId('edit-message').fill(`lockfiles: kernel 6.10.2 by hand`);
  await page.getByTestId('edit-save').click();
  await expect(page.getByTestId('edit-saved')).toContainText('lockstep/testing-devel/');
  const branch = /lockstep\/testing-devel\/[\w.-]*[\w-]/.exec((await page.getByTestId('edit-saved').textContent())!)![0];
  await shot(page, 'raw-lockfile-saved');
  // The draft's commit holds the edited lockfile byte for byte, on the stream's head, and nothing else changed.
  expect(served.cloneGit('show', `${branch}:manifest-lock.x86_64.json`)).toBe(edited.trimEnd());
  expect(served.cloneGit('rev-parse', `${branch}^`)).toBe(served.serverGit('rev-parse', 'testing-devel'));
  expect(served.cloneGit('diff', '--name-only', `${branch}^`, branch)).toBe('manifest-lock.x86_64.json');
  // The list has it.
  await page.goto(app.at('#/drafts'));
  await expect(page.getByTestId('draft-link').getByText(branch, { exact: true })).toBeVisible();
});

test('a save while another writer holds the lock: the wait is said on screen, then a clear failure; once free, it saves', async ({ page }) => {
  await page.goto(app.at('#/draft?stream=testing-devel&name=crun&evr=1.18-1.fc40&type=pin'));
  await page.getByTestId('reason').fill(REASON);
  await page.getByTestId('preview').click();
  await expect(page.locator('[data-testid="stream-preview"][data-stream="testing-devel"]')).toHaveAttribute('data-ok', 'true');
  // The test holds the repo's writer lock, as a lockstep command writing drafts would.
  let releaseLock!: () => void;
  let held!: () => void;
  const isHeld = new Promise<void>((r) => (held = r));
  const holding = withWriterLock(served.clone, () => {
    held();
    return new Promise<void>((r) => (releaseLock = r));
  });
  await isHeld;
  try {
    await saveDraft(page);
    const wait = page.getByTestId('writer-wait');
    await expect(wait).toContainText('Waiting for another Lockstep writing drafts to this clone');
    await shot(page, 'writer-lock-waiting');
    // After the writer's patience (12 s): a failure that says what happened and what to do; the wait line goes.
    const failure = page.getByTestId('preview-error');
    await expect(failure).toContainText('another Lockstep (the app or a lockstep command) is writing drafts', { timeout: 30_000 });
    await expect(failure).toContainText('retry when it is done');
    await expect(wait).toHaveCount(0);
    await expect(page.getByTestId('saved')).toHaveCount(0);
    expect(served.cloneGit('branch', '--list', 'lockstep/testing-devel/crun-*')).toBe('');
    await shot(page, 'writer-lock-failed');
  } finally {
    releaseLock();
    await holding;
  }
  await saveDraft(page);
  await expect(page.getByTestId('saved')).toContainText('lockstep/testing-devel/crun-1.18-1.fc40');
  await expect(page.getByTestId('writer-wait')).toHaveCount(0);
});

test("with no forge token or API, a push opens the forge's new-PR page (the opener stubbed)", async ({ page }) => {
  // The page's opener records what it is asked to open instead of opening it.
  await page.addInitScript(() => {
    const opened: string[] = [];
    (globalThis as unknown as { opened: string[] }).opened = opened;
    (globalThis as unknown as { open: (url?: string | URL) => null }).open = (url?: string | URL) => {
      opened.push(String(url));
      return null;
    };
  });
  const branch = 'lockstep/testing-devel/crun-1.18-1.fc40';
  await page.goto(app.at('#/drafts'));
  const row = page.getByTestId('draft-row').filter({ has: page.getByTestId('draft-link').getByText(branch, { exact: true }) });
  await row.getByTestId('push').click();
  await expect(row.getByTestId('draft-state')).toHaveText('pushed');
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { opened: string[] }).opened.length)).toBe(1);
  const [opened] = await page.evaluate(() => (globalThis as unknown as { opened: string[] }).opened);
  const remoteBranch = 'override-testing-devel-crun-1.18-1.fc40';
  const host = new URL(served.url).host;
  // The forge's compare page of the pushed branch into the stream, title and body filled in.
  const url = new URL(opened);
  expect(`${url.origin}${url.pathname}`).toBe(`https://${host}/coreos/fedora-coreos-config/compare/testing-devel...${remoteBranch}`);
  expect(url.searchParams.get('title')).toMatch(/crun/);
  expect(url.searchParams.get('body')).toContain(REASON);
  expect(served.serverGit('rev-parse', `refs/heads/${remoteBranch}`)).toBe(served.cloneGit('rev-parse', branch));
  // The row links the same page, for a second look.
  await expect(row.getByTestId('pr-link')).toHaveAttribute('href', opened);
  await expect(row.getByTestId('pr-link')).toHaveText('Open one on the forge');
});
