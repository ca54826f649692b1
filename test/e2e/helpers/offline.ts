/**
 * The e2e `test`: every page is held to loopback. A request (or WebSocket) to any host other
 * than 127.0.0.1 / localhost is aborted and FAILS the test: the UI must load nothing from a
 * CDN or the network, and only the back end talks to git servers.
 */
import { test as base, expect } from '@playwright/test';

const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:', 'chrome-extension:']);

export function isLoopback(url: string): boolean {
  try {
    const u = new URL(url);
    if (LOCAL_SCHEMES.has(u.protocol)) return true;
    return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

export const test = base.extend<{ loopbackOnly: string[] }>({
  loopbackOnly: [
    async ({ page }, use) => {
      const foreign: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (isLoopback(url)) return route.fallback();
        foreign.push(url);
        return route.abort('blockedbyclient');
      });
      page.on('websocket', (ws) => {
        if (!isLoopback(ws.url())) foreign.push(ws.url());
      });
      await use(foreign);
      expect(foreign, 'requests that left 127.0.0.1').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
