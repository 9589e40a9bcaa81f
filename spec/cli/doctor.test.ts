import { describe, expect, it } from 'vitest';
import { DOCTOR_CHECK_IDS } from '../../src/doctor/index.js';
import { runCli } from './run-cli.js';

describe('daemonspec doctor (CLI)', () => {
  it('--json prints one object with every check and exits 0', async () => {
    const result = await runCli(['doctor', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { schemaVersion: number; checks: Record<string, { status: string }> };
    expect(report.schemaVersion).toBe(1);
    expect(Object.keys(report.checks).sort()).toEqual([...DOCTOR_CHECK_IDS].sort());
  });

  it('exits 0 even when a capability is missing (an image that does not exist)', async () => {
    const result = await runCli(['doctor', '--image', 'daemonspec-doctor-test-no-such-image']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^✗ Docker (engine|image)/m);
  });
});
