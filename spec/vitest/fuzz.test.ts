import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import '../../src/vitest/index.js';
import { fuzzDaemonAndCleanup } from '../../src/vitest/index.js';
import { NEUTRAL_CALLER } from '../../src/check/caller-spec.js';
import { CLI } from '../cli/run-cli.js';
import { doubleForkDaemonPy } from '../support/python-daemon.js';

// fuzzDaemonAndCleanup() runs checks in this worker, which becomes a child subreaper (this file's worker only).

/** A Python daemon correct but for one thing: it closes its /dev/null fd even when open() gave it fd 0 (the caller had fd 0 closed). */
const STDIN_DEFECT = doubleForkDaemonPy({ closeNull: 'always', closeBelow: 1 << 16 });

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ds-vitest-fuzz-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('fuzzDaemonAndCleanup and toSurviveCallers', () => {
  test('daemonspec run survives a few random callers', async () => {
    const report = await fuzzDaemonAndCleanup([process.execPath, CLI, 'run', '--pidfile', '{pidfile}', '--', '/bin/sleep', '300'], {
      pidfile: '{pidfile}',
      runs: 3,
      jobs: 2,
      seed: 5,
    });
    expect(report.runs).toBe(3);
    expect(report).toSurviveCallers();
  }, 300_000);

  test('the failure message carries the shrunk caller (fd 0 closed) and the replays', async () => {
    const script = join(scratch(), 'd.py');
    writeFileSync(script, STDIN_DEFECT);
    const report = await fuzzDaemonAndCleanup(['/usr/bin/python3', script, '{pidfile}'], { pidfile: '{pidfile}', runs: 12, jobs: 2, seed: 3 });
    expect(report.counterexample?.caller).toEqual({ ...NEUTRAL_CALLER, umask: 0o013, stdio: ['closed', 'tty', 'tty'] });
    let message = '';
    try {
      expect(report).toSurviveCallers();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('to survive every caller, but a caller breaks it');
    expect(message).toContain('with fd 0 closed in the caller: stdin-devnull');
    expect(message).toMatch(/replay: daemonspec fuzz --pidfile '\{pidfile\}' --seed 3 --path [\d:]+ -- /);
    const replayDir = join(tmpdir(), 'daemonspec-replay-3');
    expect(message).toContain(`as a check: mkdir -p ${replayDir} && daemonspec check --pidfile ${replayDir}/daemon.pid --caller-stdio 0=closed --caller-umask 013 -- /usr/bin/python3 ${script} ${replayDir}/daemon.pid`);
  }, 600_000);
});
