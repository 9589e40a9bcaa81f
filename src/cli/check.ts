import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { checkDaemon } from '../check/index.js';
import { parseUmask } from '../check/profiles.js';
import type { CheckOptions, Isolation } from '../check/report-types.js';
import { DaemonspecError } from '../errors.js';
import { colorFor, renderJson, renderJunit, renderText } from '../report/index.js';

interface CheckFlags {
  profile?: string;
  pidfile?: string;
  stdout?: string;
  stderr?: string;
  umask?: string;
  cwd?: string;
  readyLog?: string;
  expectLog?: string;
  allowIgnored?: string;
  timeout?: string;
  repeat?: string;
  isolation?: string;
  image?: string;
  json?: boolean;
  junit?: string;
}

function usage(message: string): DaemonspecError {
  return new DaemonspecError('EUSAGE', message);
}

/** Turns the command-line flags into CheckOptions; every bad value is a one-line usage error. */
export function checkOptionsFromFlags(flags: CheckFlags): CheckOptions {
  const options: CheckOptions = {};
  if (flags.profile !== undefined) options.profile = flags.profile;
  for (const key of ['pidfile', 'stdout', 'stderr', 'cwd', 'readyLog', 'expectLog', 'image'] as const) {
    if (flags[key] !== undefined) options[key] = flags[key];
  }
  if (flags.umask !== undefined) options.umask = parseUmask(flags.umask);
  if (flags.allowIgnored !== undefined) {
    options.allowIgnored = flags.allowIgnored
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (flags.timeout !== undefined) {
    const seconds = Number(flags.timeout);
    if (!(seconds > 0) || !Number.isFinite(seconds)) throw usage(`--timeout: "${flags.timeout}" is not a positive number of seconds`);
    options.timeoutMs = Math.round(seconds * 1000);
  }
  if (flags.repeat !== undefined) {
    if (!/^[1-9]\d*$/.test(flags.repeat)) throw usage(`--repeat: "${flags.repeat}" is not a positive integer`);
    options.repeat = Number(flags.repeat);
  }
  if (flags.isolation !== undefined) {
    if (!['host', 'namespace', 'docker'].includes(flags.isolation)) throw usage(`--isolation: "${flags.isolation}" is not one of host, namespace, docker`);
    options.isolation = flags.isolation as Isolation;
  }
  if (flags.json && flags.junit !== undefined) throw usage('--json and --junit cannot be combined: choose one output');
  if (flags.junit !== undefined) checkWritableFile('--junit', flags.junit);
  return options;
}

/** Before anything is launched: the report file's directory exists and is writable, the file is no directory. */
function checkWritableFile(flag: string, file: string): void {
  const dir = dirname(resolve(file));
  try {
    if (!statSync(dir).isDirectory()) throw usage(`${flag}: ${dir} is not a directory`);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    if (error instanceof DaemonspecError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw usage(`${flag}: cannot write ${file}: ${code === 'ENOENT' ? `the directory ${dir} does not exist` : `${dir} is not writable (${code})`}`);
  }
  try {
    if (statSync(file).isDirectory()) throw usage(`${flag}: ${file} is a directory; give a file name`);
  } catch (error) {
    if (error instanceof DaemonspecError) throw error;
  }
}

/**
 * An error that is not a verdict (bad option, command not found, a file that cannot be written,
 * a bug): one line on stderr and exit 2, never 1, which means "a rule failed". The stack only
 * with DEBUG set.
 */
function reportError(error: unknown): void {
  if (error instanceof DaemonspecError) {
    process.stderr.write(`daemonspec: ${error.message}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`daemonspec: check could not run: ${message.split('\n')[0]}\n`);
    if (process.env.DEBUG) process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exitCode = 2;
}

/**
 * `daemonspec check [options] -- CMD ARGS...`: runs the command as a user would from a terminal,
 * judges the daemon it leaves. Exit 0 when no rule fails, 1 when one fails (or is racy), 2 for a
 * usage or environment error (one line on stderr, printed here: main.ts would map some to 1).
 */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('run a daemonizing command from a fresh terminal and judge the daemon it leaves')
    .usage('[options] -- CMD [ARGS...]')
    .argument('<command...>', 'the command that daemonizes, after --')
    .option('--profile <name|file>', 'sysv, seed, daemon3, or a JSON profile file', 'sysv')
    .option('--pidfile <file>', 'the pidfile the daemon writes (finds the daemon; judged by the pidfile rule)')
    .option('--stdout <file>', 'where the daemon\'s fd 1 must point')
    .option('--stderr <file>', 'where the daemon\'s fd 2 must point')
    .option('--umask <octal>', 'the expected umask (sysv: 022)')
    .option('--cwd <dir>', 'the expected working directory (sysv: /)')
    .option('--ready-log <regex>', 'a log line that means the daemon is ready')
    .option('--expect-log <regex>', 'a line the logs must contain (log-contents)')
    .option('--allow-ignored <signals>', 'signals the daemon may leave ignored, e.g. SIGPIPE,SIGXFSZ')
    .option('--timeout <seconds>', 'deadline for the command to daemonize and the daemon to settle', '10')
    .option('--repeat <n>', 'run N times; a rule whose verdict changes is reported racy', '1')
    .option('--isolation <kind>', 'host, namespace or docker', 'host')
    .option('--image <name>', 'docker image for --isolation docker')
    .option('--json', 'print the report as one JSON object')
    .option('--junit <file>', 'write the report as JUnit XML to FILE (and the text report to stdout)')
    .addHelpText(
      'after',
      `
The command runs from a fresh pseudo-terminal with traps set (a leaked pipe and file, SIGUSR1
blocked, SIGUSR2 ignored, umask 077, a temporary cwd); the daemon it leaves is found through
--pidfile, as an orphan adopted by the checker, or by an environment marker, then judged rule by
rule. Exit 0: every rule passed; 1: a rule failed or was racy; 2: usage or environment error.

Examples:
  $ daemonspec check --pidfile /tmp/d.pid -- daemonspec run --pidfile /tmp/d.pid -- /bin/sleep 300
  $ daemonspec check --profile seed --cwd /tmp --ready-log started -- python3 mydaemon.py
  $ daemonspec check --json --pidfile /run/x.pid -- /usr/sbin/xd > report.json
  $ daemonspec check --junit reports/daemon.xml --repeat 5 --pidfile /tmp/d.pid -- ./start.sh`,
    )
    .action(async (command: string[], flags: CheckFlags) => {
      try {
        await runCheck(command, flags);
      } catch (error) {
        reportError(error);
      }
    });
}

async function runCheck(command: string[], flags: CheckFlags): Promise<void> {
  const options = checkOptionsFromFlags(flags);
  const report = await checkDaemon(command, options);
  if (flags.json) {
    process.stdout.write(renderJson(report));
  } else {
    if (flags.junit !== undefined) writeFileSync(flags.junit, renderJunit(report));
    process.stdout.write(renderText(report, { color: colorFor(process.stdout) }));
    if (report.launcher.exitCode !== 0 && report.terminalOutput.trim() !== '') {
      process.stdout.write(`\nterminal output of the command:\n${report.terminalOutput.trimEnd()}\n`);
    }
  }
  process.exitCode = report.verdict === 'pass' ? 0 : 1;
  const left = report.cleanup.leftRunning;
  if (left.length > 0) {
    // The rule verdicts stand, but the check broke its promise to leave nothing behind.
    process.stderr.write(`daemonspec: the check could not stop pid${left.length > 1 ? 's' : ''} ${left.join(', ')}: stop ${left.length > 1 ? 'them' : 'it'} by hand (kill -KILL ${left.join(' ')})\n`);
    process.exitCode = 2;
  }
}
