import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/check/report-types.js';
import { CONTAINER_LABEL } from '../../src/isolation/docker.js';
import { runIsolated } from '../../src/isolation/index.js';
import { CONTAINER_WORK } from '../../src/isolation/project.js';
import { cliPath } from '../../src/package-root.js';
import { doubleForkCommand, isolationGate, workDir } from './support.js';

const gate = await isolationGate('docker');

/** Containers this test worker started (their names carry its pid) that still exist. */
function ourContainers(): string[] {
  const ps = spawnSync('docker', ['ps', '-a', '--filter', `label=${CONTAINER_LABEL}`, '--format', '{{.Names}}'], { encoding: 'utf8', timeout: 30_000 });
  return ps.stdout.split('\n').filter((n) => n.startsWith(`daemonspec-check-${process.pid}-`));
}

async function checkInContainer(init: boolean): Promise<CheckReport> {
  const work = workDir();
  return runIsolated(init ? 'docker-init' : 'docker', {
    command: doubleForkCommand(`${CONTAINER_WORK}/daemon.pid`),
    options: { pidfile: `${CONTAINER_WORK}/daemon.pid`, cwd: '/' },
    mounts: [{ host: work, container: CONTAINER_WORK }],
  });
}

describe.skipIf(!gate.run)(`isolation: ${gate.label}`, () => {
  it('has an engine and the image (CI requires them: scripts/docker/setup-engine.sh, build-image.sh)', () => {
    expect(gate.reason).toBeUndefined();
  });

  it('without --init the checker is PID 1 of the container and adopts the daemon; the container is removed', async () => {
    const report = await checkInContainer(false);
    expect(report.isolation).toBe('docker');
    expect(report.daemon, report.notes.join('\n')).not.toBeNull();
    expect(report.daemon!.ppid).toBe(1);
    expect(report.results.find((r) => r.rule === 'reparented')?.status).toBe('pass');
    expect(report.cleanup.leftRunning).toEqual([]);
    expect(ourContainers()).toEqual([]);
  });

  it('with --init docker-init is PID 1 and the checker below it still judges the daemon', async () => {
    const report = await checkInContainer(true);
    expect(report.isolation).toBe('docker-init');
    expect(report.daemon, report.notes.join('\n')).not.toBeNull();
    expect(report.results.find((r) => r.rule === 'reparented')?.status).toBe('pass');
    expect(report.results.find((r) => r.rule === 'new-session')?.status).toBe('pass');
    expect(ourContainers()).toEqual([]);
  });

  it('daemonspec check --isolation docker-init runs the check under docker-init and says so', () => {
    // The CLI mounts no work directory: the daemon writes its pidfile in the container's /tmp.
    const r = spawnSync(process.execPath, [cliPath(), 'check', '--json', '--isolation', 'docker-init', '--pidfile', '/tmp/d.pid', '--', ...doubleForkCommand('/tmp/d.pid')], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    // The program does not reset the checker's traps (signals, fds): exit 1, a rule failed.
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(report.isolation).toBe('docker-init');
    expect(report.results.find((result) => result.rule === 'reparented')?.status).toBe('pass');
  });

  it('removes the container when the deadline passes', async () => {
    const work = workDir();
    // The original never exits: the checker would wait for its own timeout; ours is shorter.
    const run = runIsolated('docker', {
      command: ['/bin/sleep', '300'],
      options: { timeoutMs: 60_000 },
      mounts: [{ host: work, container: CONTAINER_WORK }],
      deadlineMs: 3000,
    });
    await expect(run).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(ourContainers()).toEqual([]);
  });

  it('names the fix when the image is missing', async () => {
    const run = runIsolated('docker', { command: ['/bin/true'], options: { image: 'daemonspec-no-such-image:none' } });
    await expect(run).rejects.toMatchObject({ code: 'EUNSUPPORTED', message: expect.stringMatching(/build-image\.sh/) });
  });
});
