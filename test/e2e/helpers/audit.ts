/**
 * The accessibility audits a spec runs on a screen or a dialog in the state it has drawn:
 * axe-core's serious and critical violations, and the keyboard: every control is reached by Tab
 * and shows its focus, and nothing answers a click that no key can reach.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/** Serious and critical axe violations of the page (or of `scope`), as readable lines. */
export async function seriousViolations(page: Page, scope?: string): Promise<string[]> {
  // Monaco's own DOM (a third-party editor surface) is left to Monaco.
  let builder = new AxeBuilder({ page }).exclude('.monaco-editor').exclude('.monaco-diff-editor');
  if (scope) builder = builder.include(scope);
  const r = await builder.analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/**
 * The system's colour scheme switched, and the page's colours arrived: they move to the new
 * theme over a short transition (buttons: 80 ms), and a loaded machine drew its frames late
 * enough for axe to read them halfway (CI, once: "Retry now" in dark). A function, not a string:
 * the app's CSP has no 'unsafe-eval', and a string predicate is eval'd.
 */
export async function emulateScheme(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  await page.waitForFunction(() => {
    const w = globalThis as unknown as { document: { getAnimations(): { playState: string }[] }; CSSTransition: abstract new () => unknown };
    return w.document.getAnimations().every((a) => !(a instanceof w.CSSTransition) || a.playState !== 'running');
  });
}

/** axe in both themes (the theme follows the system); leaves the page light. */
export async function seriousViolationsBothThemes(page: Page, scope?: string): Promise<string[]> {
  const out: string[] = [];
  for (const scheme of ['dark', 'light'] as const) {
    await emulateScheme(page, scheme);
    for (const v of await seriousViolations(page, scope)) out.push(`${scheme}: ${v}`);
  }
  return out;
}

// The controls Tab must reach, inside `root` (a modal dialog keeps Tab inside itself). Controls
// with tabindex -1 are left out: they belong to a roving group (tabs, list rows) reached by the
// arrow keys inside it; so are the unchecked radios of a group (Tab stops at the checked one).
// Each control is known by a key that survives a re-render (a queued push retrying on its own
// re-creates its row's buttons mid-walk): its test id and text, and which of the same it is.
const CONTROL_KEY = `const controlKey = (el, all) => {
  const label = (x) => (x.getAttribute('aria-label') || x.textContent || x.getAttribute('name') || x.tagName).trim().replace(/\\s+/g, ' ').slice(0, 40);
  const id = (x) => (x.getAttribute('data-testid') || '') + '|' + label(x);
  return id(el) + '|' + all.filter((x) => id(x) === id(el)).indexOf(el);
};
const controls = (root) => [...root.querySelectorAll('button, a[href], input:not([type=hidden]), select, textarea, summary, [tabindex]')].filter((el) => {
  if (el.closest('.monaco-editor, .monaco-diff-editor, [inert], [aria-hidden="true"]')) return false;
  if (el.disabled || el.getAttribute('tabindex') === '-1') return false;
  if (el.type === 'radio' && el.name && !el.checked && document.querySelector('input[type=radio][name="' + el.name + '"]:checked')) return false;
  // checkVisibility: a closed <details> keeps its content laid out, hidden by content-visibility.
  if (!el.checkVisibility({ visibilityProperty: true })) return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
});`;
const MARK_CONTROLS = `((rootSel) => {
  ${CONTROL_KEY}
  const root = rootSel ? document.querySelector(rootSel) : document;
  const all = controls(root);
  return all.map((el) => ({ key: controlKey(el, all), label: (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || el.tagName).trim().replace(/\\s+/g, ' ').slice(0, 40) }));
})`;

// What answers a click but takes no focus: an element with a React click or mouse-down handler
// that is no control, has no tabindex, sits in no control and holds none (a row whose click
// repeats a button in it is fine: the button is the keyboard's way). React keeps a node's props
// on the node itself. ECharts' own click (the timeline's points) is no React prop: the chart's
// points are checked through their links (history.spec).
const CLICK_ONLY = `((rootSel) => {
  const root = rootSel ? document.querySelector(rootSel) : document;
  // tabindex -1 too: a roving group's item is reached by the arrow keys inside the group.
  const focusable = 'button, a[href], input, select, textarea, summary, label, [tabindex]';
  const out = [];
  for (const el of root.querySelectorAll('*')) {
    const key = Object.keys(el).find((k) => k.startsWith('__reactProps$'));
    const props = key ? el[key] : null;
    if (!props || !(props.onClick || props.onMouseDown || props.onDoubleClick)) continue;
    if (el.closest(focusable)) continue;
    if (el.querySelector(focusable)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || !el.checkVisibility({ visibilityProperty: true })) continue;
    out.push(el.tagName.toLowerCase() + (el.getAttribute('data-testid') ? '[data-testid=' + el.getAttribute('data-testid') + ']' : el.className ? '.' + String(el.className).split(' ')[0] : '') + ' "' + (el.textContent || '').trim().slice(0, 30) + '"');
  }
  return out;
})`;

// Where a Tab landed, in one round trip to the page (a walk presses Tab some fifty times):
// inside Monaco (which keeps Tab until Ctrl+M), out of the modal dialog `rootSel` (and on what),
// or on a control, by its key, with its focus shown or not (null: on no control of the walk).
const AFTER_TAB = `((rootSel) => {
  ${CONTROL_KEY}
  const el = document.activeElement;
  if (el && el.closest('.monaco-editor')) return { inMonaco: true };
  if (rootSel && !(el && el.closest(rootSel))) return { left: ((el && (el.textContent || el.tagName)) || '').trim().slice(0, 30) };
  if (!el || el === document.body) return { focused: null };
  const root = rootSel ? document.querySelector(rootSel) : document;
  const all = controls(root || document);
  if (!all.includes(el)) return { focused: null };
  const st = getComputedStyle(el);
  const visible = (st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0) || st.boxShadow !== 'none';
  return { focused: { key: controlKey(el, all), visible } };
})`;
interface AfterTab {
  inMonaco?: true;
  left?: string;
  focused?: { key: string; visible: boolean } | null;
}

/**
 * Tabs through the page (or the open dialog `scope`, whose focus is already inside) and lists
 * every control Tab does not reach, every control whose focus does not show, and every element
 * that answers a click with no key to reach it. Monaco keeps Tab for indenting: the walk leaves
 * it with Ctrl+M (Monaco's own "Tab moves focus", shown beside the editor).
 */
export async function keyboardProblems(page: Page, name: string, scope?: string): Promise<string[]> {
  const problems: string[] = [];
  const arg = JSON.stringify(scope ?? null);
  for (const c of (await page.evaluate(`${CLICK_ONLY}(${arg})`)) as string[]) problems.push(`${name}: ${c} answers a click, but no key reaches it`);
  const marked = (await page.evaluate(`${MARK_CONTROLS}(${arg})`)) as { key: string; label: string }[];
  const reached = new Set<string>();
  if (!scope) await page.locator('body').click({ position: { x: 1, y: 1 } });
  for (let i = 0; i < marked.length * 2 + 30 && marked.some((m) => !reached.has(m.key)); i++) {
    await page.keyboard.press('Tab');
    const at = (await page.evaluate(`${AFTER_TAB}(${arg})`)) as AfterTab;
    if (at.inMonaco) {
      await page.keyboard.press('Control+m');
      continue;
    }
    // A modal dialog keeps the focus inside itself.
    if (at.left !== undefined) {
      problems.push(`${name}: Tab left the dialog (to "${at.left}")`);
      break;
    }
    const f = at.focused;
    if (!f) continue;
    if (!reached.has(f.key) && !f.visible) problems.push(`${name}: no visible focus on "${f.key.split('|')[1]}"`);
    reached.add(f.key);
  }
  for (const m of marked) if (!reached.has(m.key)) problems.push(`${name}: "${m.label}" is not reached by Tab`);
  return problems;
}

/** Both audits, both themes for axe: the problems as lines (none when all is well). */
export async function auditProblems(page: Page, name: string, scope?: string): Promise<string[]> {
  const axe = (await seriousViolationsBothThemes(page, scope)).map((v) => `${name}: ${v}`);
  return [...axe, ...(await keyboardProblems(page, name, scope))];
}
