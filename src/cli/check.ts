import type { Command } from 'commander';
import { startedByTheseChecks } from '../check/adopted.js';
import { mergeCaller } from '../check/caller-flags.js';
import { interruptible } from '../check/interrupt.js';
import { liveTempDirs } from '../check/temp-dir.js';
import { usageError } from '../errors.js';
import { checkDaemon } from '../isolation/index.js';
import { colorFor, renderJson, renderJunit, renderText } from '../report/index.js';
import { checkPage, renderHtml } from '../report/html/index.js';
import { addCommand } from './options/build.js';
import { checkWritableFile, writeOutputFile } from './output-file.js';
import { CHECK, type CheckSettings } from './options/check.js';
import { convertFlags } from './options/convert.js';
import { leftOnHost, leftRunningText } from '../check/left-running.js';

/**
 * `daemonspec check [options] -- CMD ARGS...`: runs the command as a user would from a terminal,
 * judges the daemon it leaves. Exit 0 when no rule fails, 1 when one fails (or is racy), 2 for
 * any error (CHECK.errorExit: 1 is a verdict here), printed by main.ts like every command's.
 */
export function registerCheck(program: Command, argv: readonly string[]): void {
  addCommand(program, CHECK, argv)
    .addHelpText(
      'after',
      `
The command runs from a fresh pseudo-terminal with traps set, drawn from pools with a seed (a
leaked pipe and file, a blocked and an ignored signal, an unusual umask; the command starts in
the current directory, or a temporary one when the current one is the expected --cwd);
the daemon it leaves is found through --pidfile, as an orphan adopted by the checker, or by an
environment marker, then judged rule by rule. State still equal to a trap is inherited and fails;
state the program chose itself (its own umask, SIGPIPE ignored) is a note unless --strict, or an
exact --umask/--cwd, asks for more.

Exit status: 0 every judged rule passed; 1 a rule failed or was racy, or no daemon was found;
2 usage or environment error (the check could not run, or could not stop what it started);
130 interrupted (SIGINT, SIGTERM, SIGHUP: what the check started gets SIGTERM, up to 1 s and SIGKILL; a second signal kills at once; its temporary directory is removed).

Examples:
  $ daemonspec check --pidfile /tmp/d.pid -- daemonspec run --pidfile /tmp/d.pid -- /bin/sleep 300
  $ daemonspec check --profile seed --cwd /tmp --stdout /tmp/d.log --ready-log started -- python3 mydaemon.py
  $ daemonspec check --json --pidfile /run/x.pid -- /usr/sbin/xd > report.json
  $ daemonspec check --junit reports/daemon.xml --repeat 5 --pidfile /tmp/d.pid -- ./start.sh
  $ daemonspec check --html reports/daemon.html --pidfile /tmp/d.pid -- ./start.sh
  $ daemonspec check --seed 1f3a9c07 --pidfile /tmp/d.pid -- ./start.sh   # replay a report's traps`,
    )
    .action(async (command: string[], flags: Record<string, unknown>) => {
      await runCheck(command, convertFlags(CHECK.options, flags));
    });
}

async function runCheck(command: string[], settings: CheckSettings): Promise<void> {
  const { json, junit, html, callerStdio, callerFds, callerBlock, callerIgnore, callerUmask, callerCwd, callerEnvBytes, callerNofile, callerTerminal, callerSessionLeader, callerNoSubreaper, ...rest } = settings;
  const caller = mergeCaller(rest.caller, {
    stdio: callerStdio, fds: callerFds, blocked: callerBlock, ignored: callerIgnore, umask: callerUmask, cwd: callerCwd,
    envBytes: callerEnvBytes, nofile: callerNofile, terminal: callerTerminal, sessionLeader: callerSessionLeader,
    subreaper: callerNoSubreaper === true ? false : undefined,
  });
  const options = { ...rest, caller };
  refuseImageWithoutDocker(options.image, options.isolation);
  if (junit !== undefined) checkWritableFile('--junit', junit);
  if (html !== undefined) checkWritableFile('--html', html);
  const report = await interruptible({ command: 'check', ours: startedByTheseChecks, dirs: () => liveTempDirs }, () => checkDaemon(command, options));
  if (html !== undefined) writeOutputFile('--html', html, renderHtml(checkPage(report)));
  if (junit !== undefined) writeOutputFile('--junit', junit, renderJunit(report));
  if (json) {
    process.stdout.write(renderJson(report));
  } else {
    process.stdout.write(renderText(report, { color: colorFor(process.stdout) }));
    if (report.launcher.exitCode !== 0 && report.terminalOutput.trim() !== '') {
      process.stdout.write(`\nterminal output of the command:\n${report.terminalOutput.trimEnd()}\n`);
    }
  }
  process.exitCode = report.verdict === 'pass' ? 0 : 1;
  const left = leftOnHost(report);
  if (left.length > 0) {
    // The rule verdicts stand, but the check broke its promise to leave nothing behind.
    process.stderr.write(`daemonspec: ${leftRunningText(left)}\n`);
    process.exitCode = 2;
  }
}

/** --image names the container's image: without a docker isolation it would be ignored, so it is refused. */
function refuseImageWithoutDocker(image: string | undefined, isolation: string | undefined): void {
  if (image === undefined || isolation === 'docker' || isolation === 'docker-init') return;
  throw usageError(`--image is for --isolation docker or docker-init, and this check runs on ${isolation ?? 'host'}: add --isolation docker, or leave --image out`);
}
