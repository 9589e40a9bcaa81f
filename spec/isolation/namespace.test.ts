import { describe, expect, it } from 'vitest';
import { runIsolated } from '../../src/isolation/index.js';
import { doubleForkCommand, isolationGate, workDir } from './support.js';

const gate = await isolationGate('namespace');

describe.skipIf(!gate.run)(`isolation: ${gate.label}`, () => {
  it('can create a PID namespace here', () => {
    expect(gate.reason).toBeUndefined();
  });

  it('runs the checker as PID 1 of a fresh PID namespace: the daemon is reparented to it', async () => {
    const work = workDir();
    const pidfile = `${work}/daemon.pid`;
    // Every process of the namespace dies with its PID 1, the checker, so nothing can escape.
    const report = await runIsolated('namespace', { command: doubleForkCommand(pidfile), options: { pidfile, cwd: '/' } });
    expect(report.isolation).toBe('namespace');
    expect(report.daemon, report.notes.join('\n')).not.toBeNull();
    // /proc is the namespace's own: the daemon's pid is small and its parent is PID 1, the checker.
    expect(report.daemon!.ppid).toBe(1);
    expect(report.daemon!.pid).toBeLessThan(100);
    expect(report.results.find((r) => r.rule === 'reparented')?.status).toBe('pass');
    expect(report.results.find((r) => r.rule === 'new-session')?.status).toBe('pass');
    expect(report.cleanup.leftRunning).toEqual([]);
  });
});
