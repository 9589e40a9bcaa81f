import { ISOLATION_NAMES, type CheckOptions } from '../../check/report-types.js';
import { commaList, duration, octalMask, oneOf, positiveInteger, text } from './parsers.js';
import { validateSeed } from '../../check/trap-pools.js';
import { type CallerSpec, readCallerFile } from '../../check/caller-spec.js';
import { parseCwdKind, parseExtraFds, parseSignals, parseStdio, parseTerminal } from '../../check/caller-flags.js';
import { type CommandSpec, optionsFor } from './table.js';

/** What `check`'s flags set: the library's CheckOptions and the command's own outputs. */
export interface CheckSettings extends CheckOptions {
  json?: boolean;
  junit?: string;
  html?: string;
  /** The caller one property at a time (merged into `caller` by the command: caller-flags.ts). */
  callerStdio?: CallerSpec['stdio'];
  callerFds?: CallerSpec['fds'];
  callerBlock?: number[];
  callerIgnore?: number[];
  callerUmask?: number;
  callerCwd?: CallerSpec['cwd'];
  callerEnvBytes?: number;
  callerNofile?: number;
  callerTerminal?: CallerSpec['terminal'];
  callerSessionLeader?: boolean;
  callerNoSubreaper?: boolean;
}

const o = optionsFor<CheckSettings>();

export const CHECK: CommandSpec<CheckSettings> = {
  name: 'check',
  description: 'run a daemonizing command from a fresh terminal and judge the daemon it leaves',
  usage: '[options] -- CMD [ARGS...]',
  runs: 'the command that daemonizes, after --',
  errorExit: 2,
  options: [
    o.value('profile', {
      flag: '--profile', value: 'PROFILE', parse: text, default: 'sysv',
      description: 'sysv, seed (the steps of Juca Crispim\'s 2013 article "Criando um daemon com Python"), daemon3, systemd (a new-style service: it must not daemonize), or a JSON profile file',
      more: 'see [what-is-a-daemon.md](what-is-a-daemon.md) and the [example profile](../examples/checker-config/)',
    }),
    o.value('pidfile', {
      flag: '--pidfile', value: 'FILE', parse: text,
      description: 'the pidfile the daemon writes: finds the daemon and enables the pidfile rule',
      more: 'must not exist before the check (exit 2) and is removed after it',
    }),
    o.value('stdout', { flag: '--stdout', value: 'FILE', parse: text, description: "where the daemon's fd 1 must point (stdout-target)" }),
    o.value('stderr', { flag: '--stderr', value: 'FILE', parse: text, description: "where the daemon's fd 2 must point (stderr-target)" }),
    o.value('umask', { flag: '--umask', value: 'MASK', parse: octalMask, default: "the profile's; sysv: 022", description: 'the expected umask, in octal' }),
    o.value('cwd', { flag: '--cwd', value: 'DIR', parse: text, default: "the profile's; sysv: /", description: 'the expected working directory' }),
    o.value('readyLog', {
      flag: '--ready-log', value: 'REGEX', parse: text,
      description: 'the daemon is ready when its log matches REGEX',
      more: 'for daemons without a pidfile; only what was written after the launch counts; it is looked for in the --stdout and --stderr files (without either, it never matches)',
    }),
    o.value('expectLog', {
      flag: '--expect-log', value: 'REGEX', parse: text,
      description: 'the logs must match REGEX (log-contents)',
      more: 'only what was written after the launch counts',
    }),
    o.value('allowIgnored', {
      flag: '--allow-ignored', value: 'SIGNALS', parse: commaList,
      description: 'signals the daemon may leave ignored, comma-separated, e.g. SIGPIPE,SIGXFSZ',
      more: 'Node and Python daemons ignore SIGPIPE and SIGXFSZ',
    }),
    o.switch('strict', {
      flag: '--strict',
      description: "fail on state the program chose too (anything blocked, anything ignored beyond --allow-ignored, the profile's umask and cwd exactly)",
    }),
    o.value('seed', {
      flag: '--seed', value: 'SEED', parse: validateSeed,
      description: 'the trap seed: draw the planted traps from this value (printed in every report) to replay a run',
    }),
    o.switch('lifecycle', {
      flag: '--lifecycle',
      description: 'also judge the later life: second start, stop, stale pidfile, pidfile at exit (needs --pidfile)',
      more: 'the rules second-start-refused, stops-on-sigterm, pidfile-removed, stale-pidfile-recovered and pidfile-complete; the command is started 4 more times: see [lifecycle.md](lifecycle.md)',
    }),
    o.value('stopCommand', {
      flag: '--stop-command', value: 'SHELL', parse: text,
      description: "with --lifecycle: stop the daemon with this shell command (the tool's own stop) instead of SIGTERM",
      more: 'run with /bin/sh -c in the check\'s environment; it must exit 0 and the daemon and everything it started must end by --stop-timeout',
    }),
    o.value('stopTimeoutMs', {
      flag: '--stop-timeout', value: 'DURATION', parse: duration, default: '5s',
      description: 'with --lifecycle: how long the stop may take (stops-on-sigterm)',
    }),
    o.value('user', {
      flag: '--user', value: 'NAME', parse: text,
      description: "judge the privilege drop to NAME: credentials and no-capabilities (the checker runs as root)",
      more: "gid 0 and a trap group are planted in the caller's supplementary groups (Linux, through setpriv); NoNewPrivs and the core-dump settings are reported: see [lifecycle.md](lifecycle.md#dropped-privileges---user)",
    }),
    o.value('caller', {
      flag: '--caller-json', value: 'FILE', parse: readCallerFile,
      description: 'plant this caller instead of the seeded traps: a JSON file, or the JSON itself (a fuzz counterexample); the --caller-* flags below set one field each and win',
      more: 'fields: stdio, fds, blocked, ignored, umask, cwd, envBytes, nofile, terminal, sessionLeader, subreaper ([fuzz.md](fuzz.md)); under every isolation',
    }),
    o.value('notifyFd', {
      flag: '--notify-fd', value: 'N', parse: positiveInteger,
      description: 's6-style readiness: give the command a pipe at fd N (3 to 9); a newline on it before it returns means ready (notify-fd-ready)',
      more: 'an end of file without a newline is a failed start: see [lifecycle.md](lifecycle.md#readiness-on-a-notification-fd---notify-fd)',
    }),
    o.switch('notify', {
      flag: '--notify',
      description: 'sd_notify readiness: give the command a NOTIFY_SOCKET; READY=1 must come from the daemon (or name it in MAINPID=) before the command returns (notify-ready)',
      more: 'ERRNO= and STATUS= are shown; on Linux the kernel names each sender (SCM_CREDENTIALS): see [lifecycle.md](lifecycle.md#readiness-over-notify_socket---notify)',
    }),
    o.list('callerStdio', {
      flag: '--caller-stdio', value: 'FD=KIND', parse: parseStdio,
      description: 'plant fds 0-2 of the caller: KIND tty, closed, devnull, file or pipe (e.g. 1=closed); repeatable or comma-separated',
    }),
    o.list('callerFds', {
      flag: '--caller-fds', value: 'N=KIND', parse: parseExtraFds,
      description: 'plant extra caller fds instead of the seeded ones: KIND pipe, file, socket, eventfd or tty, :cloexec to add FD_CLOEXEC (e.g. 1024=pipe)',
    }),
    o.value('callerBlock', { flag: '--caller-block', value: 'SIGNALS', parse: parseSignals, description: 'signals blocked in the caller, names or numbers, comma-separated' }),
    o.value('callerIgnore', { flag: '--caller-ignore', value: 'SIGNALS', parse: parseSignals, description: 'signals ignored in the caller, names or numbers, comma-separated' }),
    o.value('callerUmask', { flag: '--caller-umask', value: 'MASK', parse: octalMask, description: "the caller's umask, in octal" }),
    o.value('callerCwd', { flag: '--caller-cwd', value: 'KIND', parse: parseCwdKind, description: "the caller's cwd: here, deep, deleted or unreadable" }),
    o.value('callerEnvBytes', { flag: '--caller-env-bytes', value: 'N', parse: positiveInteger, description: 'bytes of extra environment in the caller' }),
    o.value('callerNofile', { flag: '--caller-nofile', value: 'N', parse: positiveInteger, description: "the caller's soft RLIMIT_NOFILE" }),
    o.value('callerTerminal', { flag: '--caller-terminal', value: 'KIND', parse: parseTerminal, description: 'the command in the foreground, background, or none (no controlling terminal)' }),
    o.switch('callerSessionLeader', { flag: '--caller-session-leader', description: 'the command a session leader (through setsid)' }),
    o.switch('callerNoSubreaper', {
      flag: '--caller-no-subreaper', description: 'no subreaper above the caller: the daemon is adopted by PID 1, not by the checker',
      more: 'the check runs as PID 1 of a fresh PID namespace (Linux, root); not with --isolation docker-init, whose checker sits under tini',
    }),
    o.value('timeoutMs', {
      flag: '--timeout', value: 'DURATION', parse: duration, default: '10s',
      description: 'deadline for the command to daemonize and the daemon to settle, per run',
      more: 'seconds (`10`) or a number with a unit (`500ms`, `1.5s`, `2m`, `1h`)',
    }),
    o.value('repeat', { flag: '--repeat', value: 'N', parse: positiveInteger, default: '1', description: 'run N times; a rule whose verdict changes is reported racy' }),
    o.value('isolation', {
      flag: '--isolation', value: 'KIND', parse: oneOf(ISOLATION_NAMES), default: 'host',
      description: `where the command runs: ${ISOLATION_NAMES.join(', ')}`,
      more: '`namespace`: Linux, root, a fresh PID namespace',
    }),
    o.value('image', { flag: '--image', value: 'NAME', parse: text, default: '$DAEMONSPEC_IMAGE or daemonspec:local', description: 'the Docker image for --isolation docker and docker-init' }),
    o.switch('trace', {
      flag: '--trace',
      description: 'record the calls that make a daemon (fork, setsid, umask, dup2, close, execve...) with strace, for every process from the launcher down; failing rules cite them',
      more: 'Linux with strace and ptrace; otherwise exit 2 before anything starts. The trace is the report\'s `trace` field, a per-process section of the text report and, with --html, a sequence diagram',
    }),
    o.switch('json', { flag: '--json', description: 'print the report as one JSON object (schema below)' }),
    o.value('junit', { flag: '--junit', value: 'FILE', parse: text, description: 'also write the report as JUnit XML to FILE, one testcase per rule', more: 'its directory is made if missing' }),
    o.value('html', {
      flag: '--html', value: 'FILE', parse: text,
      description: 'also write the report as one self-contained HTML page to FILE',
      more: 'the process chain drawn with its sessions and process groups, the rules, fds and signal sets, and with --trace the trace drawn as a sequence diagram; no network, opens from file://; its directory is made if missing',
    }),
  ],
};
