import type { SpawnDaemonOptions } from '../../daemon/options.js';
import { parseReadyLog, parseReadyTcp } from '../../daemon/readiness/conditions.js';
import { duration, fdNumbers, keyValues, logFile, octalMask, text } from './parsers.js';
import { type CommandSpec, optionsFor } from './table.js';

/** What `run`'s flags set: the library's DaemonOptions and the command's own. */
export interface RunSettings extends SpawnDaemonOptions {
  printPid?: boolean;
}

const o = optionsFor<RunSettings>();

export const RUN: CommandSpec<RunSettings> = {
  name: 'run',
  description: 'start CMD as a daemon and exit 0 once it is ready: exec\'d, or as --notify, a --ready-* option or --alive-for says',
  usage: '[options] -- CMD [ARGS...]',
  runs: 'the program and its arguments, after --',
  options: [
    o.value('pidfile', {
      flag: '--pidfile', value: 'FILE', parse: text,
      description: "write the daemon's pid to FILE and hold its lock for the daemon's life",
      more: 'created with O_NOFOLLOW, replaced atomically; a second start fails naming the running pid; a stale pidfile is replaced; a file longer than a pid line there is not a pidfile, and is refused (never replaced)',
    }),
    o.value('stdout', {
      flag: '--stdout', value: 'FILE', parse: logFile, default: '/dev/null',
      description: "append the daemon's stdout to FILE (created 0640)",
    }),
    o.value('stderr', {
      flag: '--stderr', value: 'FILE', parse: logFile, default: '/dev/null',
      description: "append the daemon's stderr to FILE (created 0640)",
      more: 'may equal `--stdout`',
    }),
    o.value('cwd', { flag: '--cwd', value: 'DIR', parse: text, default: '/', description: 'working directory of the daemon' }),
    o.value('umask', { flag: '--umask', value: 'MASK', parse: octalMask, default: '022', description: 'umask of the daemon, in octal' }),
    o.value('user', {
      flag: '--user', value: 'USER', parse: text,
      description: 'run as USER (name or uid); root only',
      more: "through `setpriv --init-groups`, which sets the uid first (keeping its capabilities) and then the gid and USER's supplementary groups; the exec drops the capabilities, so the result is that of setgid, initgroups, setuid. The cwd and the command are tested as USER first: a cwd USER cannot enter, a program USER cannot execute or a script USER cannot read is refused (exit 2)",
    }),
    o.value('group', { flag: '--group', value: 'GROUP', parse: text, default: "USER's primary group", description: 'primary group (name or gid); root only' }),
    o.list('keepFds', {
      flag: '--keep-fd', value: 'N', parse: fdNumbers,
      description: 'keep inherited fd N open in the daemon (repeatable); every other fd >= 3 is closed',
      more: "give the fd to daemonspec from the shell, e.g. `--keep-fd 5 -- CMD 5<FILE`; an fd that is not open, or is plainly one of Node's own (npx passes on only fds 0-2), is refused",
    }),
    o.list('env', {
      flag: '--env', value: 'KEY=VALUE', parse: keyValues,
      description: "set KEY in the daemon's environment (repeatable); the rest is passed through",
      more: 'KEY is letters, digits and _, not starting with a digit: /bin/sh, which runs the chain, drops other names (refused here; inherited ones are dropped, docs/limits.md)',
    }),
    o.value('timeout', {
      flag: '--timeout', value: 'DURATION', parse: duration, default: '30s',
      description: 'how long to wait for readiness; the daemon is killed after it',
      more: 'seconds (`30`) or a number with a unit (`500ms`, `1.5s`, `2m`, `1h`)',
    }),
    o.switch('notify', {
      flag: '--notify',
      description: 'set NOTIFY_SOCKET and wait for sd_notify READY=1 (or ERRNO=, or the exit)',
      more: "on Linux, a message from a user other than root, run's and the daemon's is ignored (the kernel names each sender); when run itself was given a NOTIFY_SOCKET (systemd's Type=notify, `check --notify`), it then sends `READY=1` and `MAINPID=` the daemon's pid there",
    }),
    o.value('readyLog', {
      flag: '--ready-log', value: 'REGEX', parse: (text, flag) => parseReadyLog(text, flag),
      description: 'ready once a line the daemon writes to its --stdout or --stderr file matches REGEX',
      more: 'a JavaScript regular expression, matched against each line written after the start (earlier lines do not count); needs `--stdout` or `--stderr` to be a file',
    }),
    o.value('readyTcp', {
      flag: '--ready-tcp', value: 'HOST:PORT', parse: (text, flag) => (parseReadyTcp(text, flag), text),
      description: 'ready once HOST:PORT accepts a TCP connection',
      more: '`[::1]:8080` for IPv6; refused (exit 2) when something already accepts connections there before the start, since a connection would then prove nothing, and when HOST has no address (ENOTFOUND)',
    }),
    o.value('readyFile', {
      flag: '--ready-file', value: 'PATH', parse: text,
      description: 'ready once the file PATH exists',
      more: 'a file left by an earlier run counts only once it is replaced or modified',
    }),
    o.value('aliveFor', {
      flag: '--alive-for', value: 'DURATION', parse: duration,
      description: 'ready once the daemon has run for DURATION after its exec without exiting',
      more: 'same syntax as `--timeout`, and shorter than it',
    }),
    o.switch('printPid', { flag: '--print-pid', description: "print the daemon's pid on stdout once it is ready" }),
  ],
};
