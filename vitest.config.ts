import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default on a 2-core machine is one worker (cores - 1): the files ran one after
    // another while most of them wait on git, servers and child processes.
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
  },
});
