import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { linuxOnlySpecs } from './spec/support/linux-only.js';

const ci = Boolean(process.env.CI);

// Off Linux, the spec files that read /proc are left out, each named with its reason
// (spec/support/linux-only.ts); the portable ones (spec/inspect/portable.test.ts first) run.
const linuxOnly = process.platform === 'linux' ? new Map<string, string>() : linuxOnlySpecs(fileURLToPath(new URL('.', import.meta.url)));
for (const [file, reason] of linuxOnly) process.stderr.write(`skipped on ${process.platform} (Linux only): ${file}: ${reason}\n`);

export default defineConfig({
  test: {
    include: ['spec/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...linuxOnly.keys()],
    pool: 'forks',
    // Every test starts real processes; a loaded 2-core CI machine needs room.
    testTimeout: ci ? 60_000 : 30_000,
    hookTimeout: ci ? 60_000 : 30_000,
    globalSetup: ['spec/support/global-setup.ts'],
    reporters: ci ? ['default', ['json', { outputFile: 'reports/vitest.json' }]] : ['default'],
  },
});
