import { spawnSync } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { isolationGate } from './support.js';

const gate = await isolationGate('docker');

describe.skipIf(!gate.run)(`the POSIX specs in a container: ${gate.label}`, () => {
  it.each([[false], [true]])('spec/posix passes in a fresh container (--init: %s)', (init) => {
    expect(gate.reason).toBeUndefined();
    const name = `daemonspec-check-${process.pid}-specs-${init ? 'init' : 'plain'}`;
    // Removed whatever happened (spawnSync's timeout kills only the docker client).
    onTestFinished(() => void spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore', timeout: 30_000 }));
    // A vitest run of its own inside the container; its teardown checks the container's processes.
    const run = spawnSync('bash', ['scripts/docker/run-specs.sh', ...(init ? ['--init'] : []), 'spec/posix'], {
      cwd: packageRoot(),
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, CI: '', DAEMONSPEC_CONTAINER: name },
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`.slice(-4000)).toBe(0);
    expect(run.stdout).toMatch(/Test Files\s+.*\d+ passed/);
  }, 150_000);
});
