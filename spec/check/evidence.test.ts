import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { runCliSync } from '../cli/run-cli.js';
import { checkOnHost } from '../../src/check/index.js';
import { isRunning } from '../../src/inspect/index.js';
import { renderJunit as renderMatrixJunit } from '../../src/matrix/junit.js';
import type { MatrixResult } from '../../src/matrix/run.js';
import { processesMarked } from '../../src/vitest/cleanup.js';
import { correctExpectations, DEFECTS, stepPaths, stepsCommand } from '../support/steps.js';
import { expectClean, explain, statuses, workDir } from './support.js';


function cli(args: string[]) {
  return runCliSync(args);
}

// checkOnHost() makes this worker a child subreaper (process-global; this file's worker only).

/** A process started outside any check, in its own session; stopped when the test ends. */
async function bystander(): Promise<number> {
  const child = spawn('/bin/sleep', ['300'], { detached: true, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return child.pid!;
}

/** Live pids whose command line is exactly `argv` (read from /proc by the test itself). */
function pidsRunning(argv: string[]): number[] {
  const wanted = `${argv.join('\0')}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'latin1') === wanted) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe('what counts as evidence of a daemon, and what the check refuses to touch', () => {
  test('a pidfile naming a process outside the check: not judged, not signalled, the verdict says why', async () => {
    const work = workDir();
    const pid = await bystander();
    const pidfile = join(work, 'p.pid');
    const report = await checkOnHost(['/bin/sh', '-c', `echo ${pid} > ${pidfile}`], { pidfile, timeoutMs: 5000 });
    expect(isRunning(pid), 'the bystander was killed').toBe(true);
    expect(report.daemon).toBeNull();
    expect(report.verdict).toBe('fail');
    expect(report.cleanup.stopped).not.toContain(pid);
    // Not judged (no daemon of this check), and the report leads with why.
    expect(statuses(report)['new-session'], explain(report)).toBe('skip');
    expect(report.noDaemon?.reason).toMatch(new RegExp(`names PID ${pid} \\(sleep\\), which this check did not start`));
    expect(report.results.find((r) => r.rule === 'new-session')!.message).toMatch(/^not judged: the pidfile .* names PID/);
    // The file is the command's, written during the check: removed as docs/cli.md says (issue 13.7),
    // so the next check is not refused; the process it names is left alone (above).
    expect(existsSync(pidfile)).toBe(false);
  });

  test('a pidfile that exists before the check is refused (EUSAGE) before anything runs', async () => {
    const work = workDir();
    const pidfile = join(work, 'p.pid');
    writeFileSync(pidfile, `${process.pid}\n`);
    const ran = join(work, 'ran');
    await expect(checkOnHost(['/bin/sh', '-c', `touch ${ran}`], { pidfile })).rejects.toMatchObject({
      code: 'EUSAGE',
      message: expect.stringContaining(`remove the stale pidfile ${pidfile} first`),
    });
    expect(existsSync(ran)).toBe(false);
  });

  test('a pidfile path that is a directory is refused saying so (it said to remove a stale pidfile)', async () => {
    const work = workDir();
    const ran = join(work, 'ran');
    await expect(checkOnHost(['/bin/sh', '-c', `touch ${ran}`], { pidfile: work })).rejects.toMatchObject({
      code: 'EUSAGE',
      message: `the pidfile path ${work} is a directory: give the path of the file the daemon writes`,
    });
    expect(existsSync(ran)).toBe(false);
  });

  test('log lines written before the launch are no evidence; --repeat does not turn the failure into racy', async () => {
    const work = workDir();
    const stdout = join(work, 'out.log');
    writeFileSync(stdout, 'daemon ready\n');
    const report = await checkOnHost(['/bin/true'], { stdout, readyLog: 'ready', expectLog: 'ready', repeat: 2, timeoutMs: 5000 });
    const s = statuses(report);
    expect(s['log-contents'], explain(report)).toBe('fail');
    expect(s['ready-before-exit'], explain(report)).toBe('fail');
    expect(report.results.filter((r) => r.status === 'racy'), explain(report)).toEqual([]);
    expectClean(report);
  });

  test('log lines the daemon appends after the launch count, and the pidfile is removed after the run', async () => {
    const work = workDir();
    const stdout = join(work, 'out.log');
    const pidfile = join(work, 'p.pid');
    writeFileSync(stdout, 'old line\n');
    const script = `/bin/sh -c 'echo $$ > ${pidfile}; echo now ready >> ${stdout}; exec /bin/sleep 300' </dev/null >/dev/null 2>&1 &`;
    const report = await checkOnHost(['/bin/sh', '-c', script], { stdout, pidfile, readyLog: 'now ready', expectLog: 'now ready', repeat: 2, timeoutMs: 5000 });
    expect(statuses(report)['log-contents'], explain(report)).toBe('pass');
    expect(existsSync(pidfile)).toBe(false);
    expectClean(report);
  });

  test('CLI: environment errors exit 2 with one line and no stack, before the command runs', () => {
    const work = workDir();
    const ran = join(work, 'ran');
    const pidfile = join(work, 'p.pid');
    writeFileSync(pidfile, '1\n');
    for (const args of [
      // --junit makes its directory; under a regular file it cannot.
      ['--junit', join(pidfile, 'dir', 'r.xml')],
      ['--junit', work],
      ['--pidfile', pidfile],
    ]) {
      const r = cli(['check', ...args, '--', '/bin/sh', '-c', `touch ${ran}`]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/^daemonspec: /);
      expect(existsSync(ran)).toBe(false);
    }
  });

  test('a child without the marker, orphaned by the SIGKILL of its TERM-ignoring parent, is killed too', async () => {
    // env -i drops the check's marker; DAEMONSPEC_TEST_RUN is kept so the suite still sees a leak.
    const sleep = ['/bin/sleep', `300.${process.pid}${Date.now() % 1000}`];
    onTestFinished(() => {
      for (const pid of pidsRunning(sleep)) process.kill(pid, 'SIGKILL');
    });
    const script = `( trap '' TERM; env -i DAEMONSPEC_TEST_RUN="$DAEMONSPEC_TEST_RUN" ${sleep.join(' ')}; echo never ) & exit 0`;
    const report = await checkOnHost(['/bin/sh', '-c', script], { timeoutMs: 5000 });
    expect(pidsRunning(sleep), explain(report)).toEqual([]);
    expectClean(report);
  });

  test('a pidfile written after the command returned: ready-before-exit fails, pidfile passes and says so', async () => {
    const paths = stepPaths(workDir());
    const defect = DEFECTS.find((d) => d.name === 'parent-exits-before-ready')!;
    // Judged by the pidfile (no ready-log), so the lateness is ready-before-exit's verdict.
    const { readyLog: _unused, ...byPidfile } = correctExpectations(paths);
    const report = await checkOnHost(stepsCommand(defect.steps(paths)), byPidfile);
    const ready = report.results.find((r) => r.rule === 'ready-before-exit')!;
    const result = report.results.find((r) => r.rule === 'pidfile')!;
    expect(ready.status, explain(report)).toBe('fail');
    expect(result.status, explain(report)).toBe('pass');
    expect(result.message).toMatch(/did not exist yet when the command returned: see ready-before-exit/);
    expectClean(report);
  });

  test('pidfile fails when the pidfile is a symbolic link', async () => {
    const work = workDir();
    const pidfile = join(work, 'p.pid');
    const real = join(work, 'real.pid');
    // The original returns only once the link exists: the pidfile is there in time, only the link is wrong.
    const script = `/bin/sh -c 'echo $$ > ${real}; ln -s ${real} ${pidfile}; exec /bin/sleep 300' </dev/null >/dev/null 2>&1 & while [ ! -L ${pidfile} ]; do :; done`;
    const report = await checkOnHost(['/bin/sh', '-c', script], { pidfile, timeoutMs: 5000 });
    const result = report.results.find((r) => r.rule === 'pidfile')!;
    expect(result.status, explain(report)).toBe('fail');
    expect(result.message).toMatch(/is a symbolic link/);
    expectClean(report);
  });

  test('without --pidfile or --ready-log the report says the settling point is a guess', async () => {
    const report = await checkOnHost(['/bin/sh', '-c', 'exec </dev/null >/dev/null 2>&1; /bin/sleep 300 & exit 0'], { timeoutMs: 5000 });
    expect(report.notes).toContain('settled by 150 ms without change; give --ready-log or --pidfile for a reliable point');
    expectClean(report);
  });

  test('matrix JUnit cleans characters XML cannot carry, as the report does', () => {
    const result = {
      isolations: ['host'],
      rows: [{ fixture: 'x', isolation: 'host', skipped: 'tool said \u001b[31mno\u0000 <here>' }],
      fixtures: [{ manifest: { name: 'x' } }],
    } as unknown as MatrixResult;
    const xml = renderMatrixJunit(result);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).toContain('tool said \\x1b[31mno\\x00 &lt;here&gt;');
  });

  test('processesMarked finds a process by its environment marker through src/inspect', async () => {
    const token = `t${process.pid}${Date.now()}`;
    const child = spawn('/bin/sleep', ['300'], { stdio: 'ignore', env: { ...process.env, DS_REVIEW_MARK: token } });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    onTestFinished(async () => {
      child.kill('SIGKILL');
      await exited;
    });
    await new Promise((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    expect(processesMarked('DS_REVIEW_MARK', token)).toEqual([child.pid]);
    expect(processesMarked('DS_REVIEW_MARK', `${token}x`)).toEqual([]);
  });

  test('cwd compares with the expected directory resolved (a symlinked path is the same directory)', async () => {
    const work = workDir();
    mkdirSync(join(work, 'real'));
    symlinkSync(join(work, 'real'), join(work, 'link'));
    const script = `cd ${join(work, 'link')} && exec </dev/null >/dev/null 2>&1 && /bin/sleep 300 & exit 0`;
    const report = await checkOnHost(['/bin/sh', '-c', script], { cwd: join(work, 'link'), timeoutMs: 5000 });
    expect(statuses(report).cwd, explain(report)).toBe('pass');
    expectClean(report);
  });
});
