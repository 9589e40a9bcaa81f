import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { probeFailure } from '../../src/matrix/requirements.js';

describe("a fixture's failed probe, as the matrix's skip reason", () => {
  it("names Node's error, not the version line that ends its stack (the npm daemon rows said only 'Node.js v20')", () => {
    const r = spawnSync(process.execPath, ['-e', "require.resolve('daemonspec-no-such-package')"], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(probeFailure(r.stderr, undefined, r.status)).toMatch(/^Error: Cannot find module 'daemonspec-no-such-package'/);
  });

  it("names a thrown TypeError, not the node:internal header Node prints above it", () => {
    const r = spawnSync(process.execPath, ['-e', "require('node:child_process').spawn(123)"], { encoding: 'utf8' });
    expect(r.stderr).toMatch(/^node:internal/);
    expect(probeFailure(r.stderr, undefined, r.status)).toMatch(/^TypeError \[ERR_INVALID_ARG_TYPE\]/);
  });

  it('falls back to the last line, then to the spawn error, then to the exit status', () => {
    expect(probeFailure('first\nlast\n', undefined, 1)).toBe('last');
    expect(probeFailure('', 'spawn x ENOENT', null)).toBe('spawn x ENOENT');
    expect(probeFailure('', undefined, 3)).toBe('exit 3');
  });
});

describe("the npm daemon fixtures' probe", () => {
  it.each(['npm-daemon', 'npm-daemon-options'])('%s: finds the package from the fixture, whatever the directory the matrix runs from', (name) => {
    const dir = fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { requires: { probe: string[] } };
    const probe = manifest.requires.probe.map((word) => word.replace('{node}', process.execPath).replace('{dir}', dir));
    const r = spawnSync(probe[0]!, probe.slice(1), { cwd: '/', encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });
});
