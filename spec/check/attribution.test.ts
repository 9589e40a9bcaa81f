import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { fdLayoutFor, MIN_FD_LIMIT } from '../../src/check/fd-layout.js';
import { checkOnHost, type CheckReport } from '../../src/check/index.js';
import { planTraps, UMASK_POOL } from '../../src/check/trap-pools.js';
import { TRAP_SIGNAL_POOL } from '../../src/ffi/constants.js';
import { skipUnlessCapable } from '../posix/support.js';
import { expectClean, explain, failing, workDir } from './support.js';
import { runCliSync } from '../cli/run-cli.js';

const NGINX = '/usr/sbin/nginx';

function cli(args: string[]) {
  return runCliSync(args);
}

function findings(report: CheckReport, rule: string): [string, string][] {
  return (report.results.find((r) => r.rule === rule)!.findings ?? []).map((f) => [f.what, f.attribution]);
}

// checkOnHost() makes this worker a child subreaper (process-global; this file's worker only).
describe('trap pools and seeds', () => {
  test('a seed gives one plan, drawn from the pools; other seeds vary it', () => {
    const plan = planTraps('replay-me');
    expect(planTraps('replay-me')).toEqual(plan);
    expect(TRAP_SIGNAL_POOL).toEqual(expect.arrayContaining([...plan.blockedSignals, ...plan.ignoredSignals]));
    expect(plan.blockedSignals).not.toEqual(plan.ignoredSignals);
    expect(UMASK_POOL).toContain(plan.umask);
    expect(plan.fdNumbers.pipe).not.toBe(plan.fdNumbers.file);
    const many = Array.from({ length: 30 }, (_, i) => planTraps(`s${i}`));
    expect(new Set(many.map((p) => p.umask)).size).toBeGreaterThan(1);
    expect(new Set(many.map((p) => `${p.blockedSignals}/${p.ignoredSignals}`)).size).toBeGreaterThan(1);
  });

  test('under a low fd limit the traps are drawn below the checker\'s copies; too low a limit is refused (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(...'abcdef0123456789') }), fc.integer({ min: MIN_FD_LIMIT, max: 4096 }), (seed, limit) => {
        const layout = fdLayoutFor(limit);
        const { pipe, file } = planTraps(seed, undefined, layout.trapMax).fdNumbers;
        for (const fd of [pipe, file]) {
          expect(fd).toBeGreaterThanOrEqual(10);
          expect(fd).toBeLessThan(Math.min(layout.checkerFrom, 1000));
          expect(fd).not.toBe(255);
        }
        expect(layout.checkerFrom).toBeLessThan(limit);
      }),
    );
    expect(() => fdLayoutFor(MIN_FD_LIMIT - 1)).toThrow(expect.objectContaining({ code: 'EUSAGE', refused: true }));
    expect(fdLayoutFor(20_000)).toEqual({ trapMax: 999, checkerFrom: 1024 });
  });

  test('check --seed replays the same traps, and every report prints the seed', async () => {
    const command = ['/bin/sh', '-c', 'exec </dev/null >/dev/null 2>&1; /bin/sleep 300 & exit 0'];
    const a = await checkOnHost(command, { seed: 'replay-me', timeoutMs: 5000 });
    const b = await checkOnHost(command, { seed: 'replay-me', timeoutMs: 5000 });
    const plan = planTraps('replay-me');
    for (const r of [a, b]) {
      expect(r.seed).toBe('replay-me');
      expect(r.caller).toMatchObject({ blockedSignals: plan.blockedSignals, ignoredSignals: plan.ignoredSignals, umask: plan.umask });
      expect(r.caller.fds.map((f) => f.fd)).toEqual([plan.fdNumbers.pipe, plan.fdNumbers.file]);
      // sleep undoes nothing: it shows exactly the planted state, every piece of it inherited.
      expect(r.daemon!.umask).toBe(plan.umask);
      expect(r.daemon!.signals.blocked).toEqual(plan.blockedSignals);
      expect(findings(r, 'signal-mask-empty')).toEqual([[expect.any(String), 'inherited']]);
      expectClean(r);
    }
    const work = workDir();
    const junit = join(work, 'r.xml');
    const text = cli(['check', '--seed', 'replay-me', '--junit', junit, '--', ...command]);
    expect(text.stdout.split('\n')[1]).toContain('seed replay-me;');
    expect(readFileSync(junit, 'utf8')).toContain('<property name="seed" value="replay-me"/>');
    const json = JSON.parse(cli(['check', '--json', '--seed', 'replay-me', '--', ...command]).stdout) as CheckReport;
    expect(json.seed).toBe('replay-me');
  });

  test('a bad seed is refused with one line, exit 2, before anything runs', () => {
    const work = workDir();
    const ran = join(work, 'ran');
    const r = cli(['check', '--seed', 'no spaces', '--', '/bin/sh', '-c', `touch ${ran}`]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^daemonspec: --seed: "no spaces" is not a seed/)]);
    expect(existsSync(ran)).toBe(false);
  });
});

describe('no daemon, one finding', () => {
  test('check -- /bin/false: the report leads with why; only launcher-exit fails (text, JSON, JUnit)', () => {
    const work = workDir();
    const junit = join(work, 'r.xml');
    const text = cli(['check', '--junit', junit, '--', '/bin/sh', '-c', 'echo "cannot bind: address in use"; exit 3']);
    expect(text.code).toBe(1);
    const lines = text.stdout.split('\n');
    expect(lines[4]).toBe('no daemon found: the command exited with status 3; nothing the command started is still running');
    expect(lines[6]).toBe('    cannot bind: address in use');
    expect(text.stdout.match(/^ {2}✗ /gm)).toHaveLength(1);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites [^>]*failures="1" errors="1"/);
    const json = JSON.parse(cli(['check', '--json', '--', '/bin/false']).stdout) as CheckReport;
    expect(json.verdict).toBe('fail');
    expect(failing(json)).toEqual(['launcher-exit']);
    expect(json.noDaemon?.reason).toMatch(/^the command exited with status 1;/);
    expect(json.results.find((r) => r.rule === 'new-session')).toMatchObject({ status: 'skip', message: expect.stringMatching(/^not judged: /) });
  });
});

describe('attribution on a real server: nginx', () => {
  test('its own umask(0) and ignored SIGPIPE are notes; the trap directory and fds it kept fail; --strict fails on all', async (context) => {
    skipUnlessCapable(context, existsSync(NGINX) ? null : `${NGINX} not installed (apt-get install nginx-light)`);
    const work = workDir();
    const conf = join(work, 'nginx.conf');
    const pidfile = join(work, 'nginx.pid');
    const port = 20000 + (process.pid % 20000);
    const temps = ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t === 'body' ? 'client_body' : t}_temp_path ${work}/${t};`).join(' ');
    writeFileSync(conf, `pid ${pidfile};\nerror_log ${work}/error.log;\nevents { worker_connections 16; }\nhttp { access_log off; ${temps} server { listen 127.0.0.1:${port}; location / { return 200 "ok"; } } }\n`);
    const command = [NGINX, '-c', conf, '-e', `${work}/error.log`];
    const report = await checkOnHost(command, { pidfile, timeoutMs: 10_000 });
    expectClean(report);
    expect(failing(report).sort(), explain(report)).toEqual(['cwd', 'no-leaked-fds', 'not-session-leader', 'signal-dispositions-default']);
    expect(findings(report, 'umask')).toEqual([['umask 0000', 'chosen']]);
    expect(findings(report, 'cwd')).toEqual([[`cwd ${report.caller.cwd}`, 'inherited']]);
    expect(findings(report, 'no-leaked-fds').every(([, a]) => a === 'inherited')).toBe(true);
    const dispositions = findings(report, 'signal-dispositions-default');
    expect(dispositions).toContainEqual(['SIGPIPE ignored', 'chosen']);
    expect(dispositions).toContainEqual(['SIGSYS ignored', 'chosen']);
    expect(dispositions.filter(([, a]) => a === 'inherited')).toHaveLength(1); // nginx keeps the caller's ignored trap
    const strict = await checkOnHost(command, { pidfile, timeoutMs: 10_000, strict: true });
    expectClean(strict);
    expect(strict.strict).toBe(true);
    expect(failing(strict), explain(strict)).toContain('umask');
  });
});

/*
 * A value the caller is given by hand (--caller-*, fuzz) may be one the program also chooses
 * itself, which the trap pools avoid: nginx sets umask 0 and ignores SIGPIPE. Without a trace the
 * check cannot tell and says so; with --trace the program's own umask() and rt_sigaction() make
 * the value its choice, and a umask read and put back (redis) stays the caller's.
 */
describe('a value given to the caller that the program also chooses', () => {
  /** A perl daemon (through setsid -f) that runs `body` first, then writes its pidfile and sleeps. */
  function perlDaemon(pidfile: string, body: string): string[] {
    return ['setsid', '-f', 'perl', '-e', `${body} open(my $f, '>', '${pidfile}') or die; print $f "$$\\n"; close $f; sleep 300;`];
  }
  const result = (report: CheckReport, rule: string) => report.results.find((r) => r.rule === rule)!;
  const CALLER = ['--caller-umask', '000', '--caller-ignore', 'PIPE'];

  test('without --trace: inherited, with the caveat that the program may have set the same value', () => {
    const pidfile = join(workDir(), 'd.pid');
    const r = cli(['check', '--json', ...CALLER, '--pidfile', pidfile, '--', ...perlDaemon(pidfile, "umask 0; $SIG{PIPE} = 'IGNORE';")]);
    const report = JSON.parse(r.stdout) as CheckReport;
    for (const rule of ['umask', 'signal-dispositions-default']) {
      expect(result(report, rule).status, explain(report)).toBe('fail');
      expect(result(report, rule).message).toContain('unless the program sets this same value itself: a caller given by hand cannot tell; --trace shows who set it');
    }
  });

  test('with --trace: its own umask(0) and SIG_IGN make them its choice (a note), not the caller\'s', () => {
    const pidfile = join(workDir(), 'd.pid');
    const r = cli(['check', '--json', '--trace', ...CALLER, '--pidfile', pidfile, '--', ...perlDaemon(pidfile, "umask 0; $SIG{PIPE} = 'IGNORE';")]);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(result(report, 'umask').status, explain(report)).toBe('pass');
    expect(result(report, 'umask').message).toContain("chosen by the program (the same as the caller's, set by its own umask())");
    expect(findings(report, 'umask')).toEqual([['umask 0000', 'chosen']]);
    expect(result(report, 'signal-dispositions-default').status, explain(report)).toBe('pass');
    expect(findings(report, 'signal-dispositions-default')).toContainEqual(['SIGPIPE ignored', 'chosen']);
  });

  const BLOCK = ['--caller-block', 'PROF'];
  const BLOCKS_PROF = 'use POSIX; sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGPROF));';

  test('a signal blocked by the caller and by the program: inherited without --trace (with the caveat), its choice with it', () => {
    const pidfile = join(workDir(), 'd.pid');
    const plain = JSON.parse(cli(['check', '--json', ...BLOCK, '--pidfile', pidfile, '--', ...perlDaemon(pidfile, BLOCKS_PROF)]).stdout) as CheckReport;
    expect(result(plain, 'signal-mask-empty').status, explain(plain)).toBe('fail');
    expect(result(plain, 'signal-mask-empty').message).toContain('--trace shows who set it');
    const traced = JSON.parse(cli(['check', '--json', '--trace', ...BLOCK, '--pidfile', pidfile, '--', ...perlDaemon(pidfile, BLOCKS_PROF)]).stdout) as CheckReport;
    expect(result(traced, 'signal-mask-empty').status, explain(traced)).toBe('pass');
    expect(findings(traced, 'signal-mask-empty')).toEqual([['SIGPROF blocked', 'chosen']]);
  });

  test('with --trace: a signal blocked and then the mask put back is still the caller\'s', () => {
    const pidfile = join(workDir(), 'd.pid');
    const body = 'use POSIX; my $old = POSIX::SigSet->new; sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGPROF), $old); sigprocmask(SIG_SETMASK, $old);';
    const report = JSON.parse(cli(['check', '--json', '--trace', ...BLOCK, '--pidfile', pidfile, '--', ...perlDaemon(pidfile, body)]).stdout) as CheckReport;
    expect(result(report, 'signal-mask-empty').status, explain(report)).toBe('fail');
    expect(findings(report, 'signal-mask-empty')).toEqual([['SIGPROF blocked', 'inherited']]);
  });

  test('with --trace: a SIG_BLOCK by the parent after it forked the daemon is not the daemon\'s choice', () => {
    const pidfile = join(workDir(), 'd.pid');
    const body = 'use POSIX; if (fork) { sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGPROF)); exit 0; } POSIX::setsid();';
    const report = JSON.parse(cli(['check', '--json', '--trace', ...BLOCK, '--pidfile', pidfile, '--', ...perlDaemon(pidfile, body)]).stdout) as CheckReport;
    expect(result(report, 'signal-mask-empty').status, explain(report)).toBe('fail');
    expect(findings(report, 'signal-mask-empty')).toEqual([['SIGPROF blocked', 'inherited']]);
  });

  test('with --trace: a umask read and put back (as redis does) is still the caller\'s', () => {
    const pidfile = join(workDir(), 'd.pid');
    const r = cli(['check', '--json', '--trace', ...CALLER, '--pidfile', pidfile, '--', ...perlDaemon(pidfile, 'my $old = umask 0777; umask $old;')]);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(result(report, 'umask').status, explain(report)).toBe('fail');
    expect(findings(report, 'umask')).toEqual([['umask 0000', 'inherited']]);
  });
});
