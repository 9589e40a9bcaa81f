import { execFile } from 'node:child_process';
import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkOnHost, type CheckReport } from '../../src/check/index.js';
import { CLI } from '../cli/run-cli.js';
import { expectClean, explain, failing, statuses, workDir } from './support.js';

/** A classic Python double-fork daemon that stays in its working directory and writes a relative pidfile. */
const DAEMON_PY = `import os, signal, sys, time
if os.fork(): sys.exit(0)
os.setsid()
if os.fork(): os._exit(0)
os.umask(0o022)
signal.pthread_sigmask(signal.SIG_SETMASK, [])
for s in range(1, signal.NSIG):
    try: signal.signal(s, signal.SIG_DFL)
    except (OSError, ValueError): pass
fd = os.open('/dev/null', os.O_RDWR)
for n in (0, 1, 2): os.dup2(fd, n)
os.closerange(3, 65536)
with open(sys.argv[1] + '.tmp', 'w') as f: f.write(str(os.getpid()) + '\\n')
os.rename(sys.argv[1] + '.tmp', sys.argv[1])
time.sleep(60)
`;

function cliIn(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, timeout: 60_000, killSignal: 'SIGKILL', encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

const hasPython = existsSync('/usr/bin/python3') || existsSync('/usr/local/bin/python3');

// Issue 16.1: `check --pidfile p -- python3 mydaemon.py` from the script's directory.
describe.skipIf(!hasPython)('relative arguments', () => {
  test('the command starts in the user\'s directory: a relative script and pidfile work (text and JSON); staying there fails cwd as inherited', async () => {
    const dir = realpathSync(workDir());
    writeFileSync(join(dir, 'mydaemon.py'), DAEMON_PY);
    const text = await cliIn(dir, ['check', '--pidfile', 'p', '--', 'python3', 'mydaemon.py', 'p']);
    expect(text.stdout).not.toContain("can't open file");
    expect(text.stdout).toMatch(/✗ cwd [^\n]*\n +working directory [^ ]+ is the caller's \(the directory the check was started from\)/);
    expect(text.stdout).toMatch(/✓ pidfile/);
    expect(text.code).toBe(1);

    const json = await cliIn(dir, ['check', '--json', '--pidfile', 'p', '--', 'python3', 'mydaemon.py', 'p']);
    const report = JSON.parse(json.stdout) as CheckReport;
    expect(report.noDaemon, explain(report)).toBeNull();
    expect(report.caller).toMatchObject({ cwd: dir, cwdOrigin: 'user' });
    expect(report.daemon!.cwd).toBe(dir);
    expect(failing(report), explain(report)).toEqual(['cwd']);
    expect(report.results.find((r) => r.rule === 'cwd')!.findings).toEqual([{ what: `cwd ${dir}`, attribution: 'inherited' }]);
    expectClean(report);
    expect(existsSync(join(dir, 'p'))).toBe(false);
  });

  test('a daemon that chdirs to / passes cwd when started from another directory', async () => {
    const dir = realpathSync(workDir());
    writeFileSync(join(dir, 'mydaemon.py'), DAEMON_PY.replace("os.umask(0o022)", "os.umask(0o022); os.chdir('/')"));
    const pidfile = join(dir, 'd.pid');
    const json = await cliIn(dir, ['check', '--json', '--pidfile', pidfile, '--', 'python3', 'mydaemon.py', pidfile]);
    const report = JSON.parse(json.stdout) as CheckReport;
    expect(statuses(report).cwd, explain(report)).toBe('pass');
    expect(json.code, explain(report)).toBe(0);
    expectClean(report);
  });

  test('when the user\'s directory is the expected one, the command starts in a trap directory (a daemon staying there still fails) and a note names the relative arguments', async () => {
    const dir = realpathSync(workDir());
    writeFileSync(join(dir, 'mydaemon.py'), DAEMON_PY);
    const pidfile = join(dir, 'd.pid');
    const saved = process.cwd();
    process.chdir(dir);
    let report: CheckReport;
    try {
      report = await checkOnHost(['/bin/sh', '-c', 'exec </dev/null >/dev/null 2>&1; /bin/sleep 60 & echo $! > "$1"', 'sh', pidfile, 'mydaemon.py'], {
        cwd: dir,
        pidfile,
        timeoutMs: 5000,
      });
    } finally {
      process.chdir(saved);
    }
    expect(report.caller.cwdOrigin).toBe('trap');
    expect(report.caller.cwd).not.toBe(dir);
    expect(statuses(report).cwd, explain(report)).toBe('fail');
    expect(report.results.find((r) => r.rule === 'cwd')!.message).toContain("the checker's temporary directory");
    expect(report.notes.join('\n')).toMatch(/relative arguments \(mydaemon\.py\) resolve there/);
    expectClean(report);
  });
});
