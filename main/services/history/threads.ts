/**
 * `node:worker_threads`, loaded at its first use: a warm history query never starts a thread,
 * and loading the module pulls five more of Node's own in at every CLI start (SPEC §5).
 * `require`, since `import()` would start Node's ESM loader.
 */
export const workerThreads = (): typeof import('node:worker_threads') => require('node:worker_threads') as typeof import('node:worker_threads');
