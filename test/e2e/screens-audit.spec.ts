/**
 * Every screen at the smallest and a large window, light and dark: axe-core finds no serious or
 * critical violation, and a screenshot of each is kept (test-artifacts/screenshots/screen-*).
 */
import { shot, startApp, WINDOW_SIZES, type RunningApp } from './helpers/app';
import { emulateScheme, seriousViolations } from './helpers/audit';
import { expect, test } from './helpers/offline';
import { buildScreensRepo, SCREENS } from './helpers/screens';

let app: RunningApp;

// The suite's longest file, and it changes nothing: its two audits (one per window size) are
// shared between the workers, each with its own app on its own repo.
test.describe.configure({ mode: 'parallel' });

test.beforeAll(async () => {
  app = await startApp({ repo: buildScreensRepo() });
});
test.afterAll(async () => {
  await app?.stop();
});

for (const [w, h] of WINDOW_SIZES) {
  // Each screen is opened once and audited in both themes: the style sheet, the chart and Monaco
  // all follow a flip of the system theme without a reload.
  test(`every screen at ${w}×${h}, light and dark: no serious accessibility violation`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    for (const s of SCREENS) {
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(app.at(s.hash));
      await s.ready(page);
      for (const scheme of ['light', 'dark'] as const) {
        await emulateScheme(page, scheme);
        await s.inTheme?.(page, scheme);
        await page.waitForTimeout(150);
        if (scheme === 'light' || w === 1024) await shot(page, `screen-${s.name}-${w}x${h}${scheme === 'dark' ? '-dark' : ''}`);
        for (const v of await seriousViolations(page)) problems.push(`${s.name}, ${scheme}: ${v}`);
      }
    }
    expect(problems).toEqual([]);
  });
}
