/**
 * Every screen at the smallest and a large window, light and dark: axe-core finds no serious or
 * critical violation, and a screenshot of each is kept (test-artifacts/screenshots/screen-*).
 */
import { shot, startApp, type RunningApp } from './helpers/app';
import { seriousViolations } from './helpers/audit';
import { expect, test } from './helpers/offline';
import { buildScreensRepo, SCREENS } from './helpers/screens';

let app: RunningApp;

// The suite's longest file, and it changes nothing: its four audits are shared between the
// workers, each with its own app on its own repo.
test.describe.configure({ mode: 'parallel' });

test.beforeAll(async () => {
  app = await startApp({ repo: buildScreensRepo() });
});
test.afterAll(async () => {
  await app?.stop();
});

for (const [w, h] of [
  [1024, 700],
  [1920, 1080],
] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`every screen at ${w}×${h}, ${scheme}: no serious accessibility violation`, async ({ page }) => {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      for (const s of SCREENS) {
        await page.goto(app.at(s.hash));
        await s.ready(page);
        await page.waitForTimeout(150);
        if (scheme === 'light' || w === 1024) await shot(page, `screen-${s.name}-${w}x${h}${scheme === 'dark' ? '-dark' : ''}`);
        for (const v of await seriousViolations(page)) problems.push(`${s.name}: ${v}`);
      }
      expect(problems).toEqual([]);
    });
  }
}
