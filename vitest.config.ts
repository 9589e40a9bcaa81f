import { defineConfig } from 'vitest/config';

const ci = Boolean(process.env.CI);

export default defineConfig({
  test: {
    include: ['spec/**/*.test.ts'],
    pool: 'forks',
    // Every test starts real processes; a loaded 2-core CI machine needs room.
    testTimeout: ci ? 60_000 : 30_000,
    hookTimeout: ci ? 60_000 : 30_000,
    globalSetup: ['spec/support/global-setup.ts'],
    reporters: ci ? ['default', ['json', { outputFile: 'reports/vitest.json' }]] : ['default'],
  },
});
