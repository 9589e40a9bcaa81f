import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

// A test that passes but leaves a directory behind, as the defect tests once did.
it('leaves a defect- directory in the temporary directory', () => {
  expect(mkdtempSync(join(tmpdir(), 'defect-'))).toContain('defect-');
});
