import { existsSync } from 'node:fs';
import { withDir } from 'tmp-promise';
import { expect, it } from 'vitest';

// The same test, written with tmp-promise: nothing is left.
it('removes its directory', async () => {
  const path = await withDir(async (dir) => dir.path, { prefix: 'defect-', unsafeCleanup: true });
  expect(existsSync(path)).toBe(false);
});
