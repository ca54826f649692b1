/** The offline demo repo (see timeline.ts for what it holds). */
export { createDemoRepo, type DemoRepoOptions } from './timeline';
