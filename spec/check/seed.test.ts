import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { checkOnHost, loadManifest, manifestCheck } from '../../src/check/index.js';
import { expectClean, explain, failing, workDir } from './support.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

// checkOnHost() makes this worker a child subreaper (process-global; this file's worker only).
describe("the seed article's algorithm (fixtures/seed, a faithful re-implementation)", () => {
  test('every defect is found under its rule id, and nothing else fails', async () => {
    const dir = `${FIXTURES}seed`;
    const manifest = loadManifest(dir);
    const { command, options } = manifestCheck(manifest, { dir, work: workDir() });
    const report = await checkOnHost(command, options);
    expect(failing(report).sort(), explain(report)).toEqual(manifest.deviations.map((d) => d.rule).sort());
    // The fd mix-up in detail: stdin is the stdout log, fd 1 the stderr log, fd 2 closed.
    const fds = new Map(report.daemon!.fds!.map((f) => [f.fd, f.target]));
    expect(fds.get(0)).toBe(options.stdout);
    expect(fds.get(1)).toBe(options.stderr);
    expect(fds.has(2)).toBe(false);
    expect(report.daemon!.umask).toBe(0);
    expectClean(report);
  });

  test("with the article's default arguments the daemon dies unseen after a successful exit", async () => {
    const dir = `${FIXTURES}seed-defaults`;
    const { command, options } = manifestCheck(loadManifest(dir), { dir, work: workDir() });
    const report = await checkOnHost(command, options);
    const byRule = Object.fromEntries(report.results.map((r) => [r.rule, r]));
    expect(report.launcher.exitCode, explain(report)).toBe(0);
    expect(report.daemon).toBeNull();
    expect(byRule['launcher-exit']!.status).toBe('pass');
    expect(byRule['new-session']!.message).toMatch(/no daemon found/);
    expect(byRule['log-contents']!.status).toBe('fail');
    expectClean(report);
  });
});
