import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { bundleStaleness } from '../support/bundle-fresh.js';
import { testDir } from '../support/temp-dir.js';

/** A dist/ with one tsc module and the bundle's stamp, each given its modification time (seconds). */
function dist(moduleTime: number, bundleTime: number | null): string {
  const root = testDir('bundle-fresh-');
  mkdirSync(join(root, 'dist/daemon'), { recursive: true });
  writeFileSync(join(root, 'dist/daemon/launch.js'), '');
  utimesSync(join(root, 'dist/daemon/launch.js'), moduleTime, moduleTime);
  if (bundleTime !== null) {
    mkdirSync(join(root, 'dist/bundle'));
    writeFileSync(join(root, 'dist/bundle/modules.json'), '{}');
    writeFileSync(join(root, 'dist/bundle/core.js'), '');
    utimesSync(join(root, 'dist/bundle/modules.json'), bundleTime, bundleTime);
  }
  return root;
}

test('a bundle made after tsc is fresh; a checkout without dist/ is not judged', () => {
  expect(bundleStaleness(dist(1_000, 2_000))).toBeNull();
  expect(bundleStaleness(testDir('bundle-fresh-'))).toBeNull();
});

test('tsc run after the last bundle, or no bundle at all, is named with the fix', () => {
  expect(bundleStaleness(dist(3_000, 2_000))).toMatch(/^dist\/bundle\/ is older than .*dist\/daemon\/launch\.js: run `npm run build`/);
  expect(bundleStaleness(dist(1_000, null))).toMatch(/^dist\/bundle\/ is missing: run `npm run build`/);
});
