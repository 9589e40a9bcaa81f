import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, scene, tagged } from './support.js';

/** daemonize()'s original maps an error to the CLI's exit status (one shared function, src/daemon/exit-status.ts). */
describe('exit status of a failed daemonize()', () => {
  it('EUNSUPPORTED (chroot) exits 2, as the CLI does for an environment error', () => {
    const s = scene();
    const script = s.path('chroot.mjs');
    const lib = pathToFileURL(join(ROOT, 'dist/bundle/index.js')).href;
    writeFileSync(script, `import { daemonize } from ${JSON.stringify(lib)};\nawait daemonize({ chroot: '/' });\n`);
    const fromLibrary = spawnSync(process.execPath, [script], { env: s.env, encoding: 'utf8', timeout: 60_000 });
    expect(fromLibrary.stderr).toContain('chroot is not supported yet');
    expect(fromLibrary.status, fromLibrary.stderr).toBe(2);
    expect(tagged(s.tag)).toEqual([]);
  });
});
