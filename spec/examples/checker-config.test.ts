import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dir as tmpDir } from 'tmp-promise';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCli } from '../cli/run-cli.js';

/* examples/checker-config: the profiles load, and the documented check of the HTTP example passes. */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIR = join(ROOT, 'examples/checker-config');
const profiles = readdirSync(DIR).filter((name) => name.endsWith('.profile.json'));

describe('examples/checker-config', () => {
  it('there are example profiles', () => {
    expect(profiles.length).toBeGreaterThan(0);
  });

  it.each(profiles)('%s is a valid profile', async (name) => {
    const { loadProfile } = (await import('../../src/check/profiles.js')) as {
      loadProfile: (p: string) => { label: string; definition: { name: string } };
    };
    const { definition } = loadProfile(join(DIR, name));
    expect(definition.name).toMatch(/\S/);
  });

  it('the documented check of examples/http-server passes with the example profile', async () => {
    // The CLI and the example import dist/.
    if (!existsSync(join(ROOT, 'dist/daemon/daemonize.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    const work = await tmpDir({ unsafeCleanup: true, prefix: 'daemonspec-profile-' });
    onTestFinished(() => work.cleanup());
    const pidfile = join(work.path, 'http.pid');
    const log = join(work.path, 'http.log');
    const result = await runCli(
      [
        'check', '--json', '--profile', join(DIR, 'http-server.profile.json'),
        '--pidfile', pidfile, '--stdout', log, '--stderr', log, '--',
        process.execPath, join(ROOT, 'examples/http-server/server.mjs'), '--port', '0', '--pidfile', pidfile, '--log', log,
      ],
      {},
      120_000,
    );
    const report = JSON.parse(result.stdout) as { verdict: string; results: { rule: string; status: string; message: string }[]; cleanup: { leftRunning: number[] } };
    expect(report.results.filter((r) => r.status === 'fail').map((r) => `${r.rule}: ${r.message}`)).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.cleanup.leftRunning).toEqual([]);
    expect(result.code).toBe(0);
  });
});
