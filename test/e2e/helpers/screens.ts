/**
 * Every screen of the app, each with what shows it is ready (drawn, not loading), and the repo
 * the screen audits run on: the synthetic repo plus two long-lived branches outside the
 * promotion chain, named so plain string order would be wrong.
 */
import type { Page } from '@playwright/test';
import { lockfileJson } from '../../helpers/repo-builder';
import { expect } from './offline';
import { buildSyntheticRepo } from './synthetic-repo';

export function buildScreensRepo(): string {
  const repo = buildSyntheticRepo();
  for (const name of ['rhcos-4.10', 'rhcos-4.6']) {
    repo.branch(name, repo.rev('testing-devel'));
    repo.commit(`${name}: lockfiles`, { 'manifest-lock.x86_64.json': lockfileJson({ bash: { evra: '5.2.26-3.el8.x86_64', sourcerpm: 'bash' } }) });
  }
  repo.checkout('testing-devel');
  return repo.dir;
}

export const SCREENS: { name: string; hash: string; ready: (p: Page) => Promise<void>; inTheme?: (p: Page, scheme: 'light' | 'dark') => Promise<void> }[] = [
  { name: 'streams', hash: '#/streams', ready: (p) => expect(p.getByTestId('streams-table')).toBeVisible() },
  { name: 'diff', hash: '#/diff?from=stable&to=testing-devel', ready: (p) => expect(p.getByTestId('count-upgraded')).toBeVisible() },
  {
    name: 'history',
    hash: '#/history?name=kernel&reached=6.11',
    // Drawn, not loading: the rows, the chart's lanes written by ECharts, the reached line.
    ready: async (p) => {
      await expect(p.getByTestId('history-row').first()).toBeVisible({ timeout: 30_000 });
      await expect(p.getByTestId('timeline-chart').locator('svg text', { hasText: /^testing-devel$/ })).toBeVisible();
      await expect(p.getByTestId('reached-line')).toBeVisible();
    },
  },
  { name: 'drafts', hash: '#/drafts', ready: (p) => expect(p.getByTestId('new-draft')).toBeVisible() },
  { name: 'draft-form', hash: '#/draft?stream=testing-devel&name=podman', ready: (p) => expect(p.getByTestId('pkg-name')).toHaveValue('podman') },
  {
    name: 'editor',
    hash: '#/edit',
    ready: (p) => expect(p.locator('.monaco-editor').first()).toBeVisible({ timeout: 30_000 }),
    // Monaco draws its own colours: it follows the system theme flipping while it is open.
    inTheme: (p, scheme) => expect(p.locator('.monaco-editor').first()).toHaveClass(scheme === 'dark' ? /\bvs-dark\b/ : /\bvs\b(?!-)/),
  },
  { name: 'overrides', hash: '#/overrides', ready: (p) => expect(p.getByTestId('board-override').first()).toBeVisible() },
  { name: 'graduation', hash: '#/graduation', ready: (p) => expect(p.getByTestId('graduation-stream').first()).toBeVisible() },
  { name: 'settings', hash: '#/settings', ready: (p) => expect(p.getByTestId('save-settings')).toBeVisible() },
];
