import { ACQUIRE_CTTY_SCRIPT } from './ctty.js';

/** The launcher shell's $0: its own messages begin with it. */
export const LAUNCHER_NAME = 'daemonspec-launcher';

/**
 * The launcher's shell program. Arguments:
 * TOKEN PIDFILE STDOUT STDERR IGNORED UMASK TTY SNAPSHOT NOFILE JOBS BG REDIR TAG -- COMMAND ARGS...
 *
 * - NOFILE: a soft RLIMIT_NOFILE to set (`ulimit -Sn`), or empty. JOBS: `m` for job control
 *   (`set -m`), empty without (no controlling terminal, or the command made a session leader).
 *   BG: `&` to run the command in the background (a background process group when JOBS is
 *   `m`), empty for the foreground. REDIR: redirections for the command only (`0<&- 1>&7 7>&-`),
 *   which is how a caller's closed or redirected fds 0-2 are planted (caller-plant.ts). TAG: the
 *   check's soft RLIMIT_MSGQUEUE (`ulimit -Sq`, scope-tag.ts), or empty; a shell that cannot set
 *   it runs on untagged.
 *
 * - First it acquires TTY (the pty slave) as its controlling terminal, or prints
 *   `TOKEN ctty=none` and exits 125 (ctty.ts says why posix_spawn cannot do it on macOS).
 *   An empty TTY: a caller without a controlling terminal (the slave stays on fds 0-2 only).
 * - `trap '' N` for each signal number in IGNORED, `umask UMASK`: traps the daemon must undo
 *   (ignored signals and a umask survive fork and exec). The blocked signals are blocked by
 *   posix_spawn before the shell starts.
 * - `set -m` (JOBS): job control, so the command runs in its own process group, in the foreground
 *   of the pty, as from an interactive login shell. bash does this without being interactive.
 * - Right after the command's original process exits, it records the exit status and the
 *   readiness evidence of that very moment (the pidfile's pid and whether it is alive, the
 *   sizes of the logs, so the checker can apply the ready-log regex to what was there then),
 *   and prints them on the pty behind a random token. No extra fd is leaked to the command.
 * - With a SNAPSHOT path (`check --lifecycle`), the pidfile's bytes at that moment are first
 *   copied there (`cat`, the one fork before the report), and the pid is read from that copy:
 *   `pidfile-complete` judges the bytes, readiness the same sample.
 * - Then it waits for the hangup: the checker closes the pty master, the kernel sends SIGHUP
 *   to this session leader, and it exits.
 *
 * Only builtins run before the report line except `wc` for the log sizes.
 */
export const LAUNCHER_SCRIPT = [
  'token=$1 tty=$7',
  'if [ -n "$tty" ]; then',
  ACQUIRE_CTTY_SCRIPT,
  'fi',
  "for s in $5; do trap '' \"$s\"; done",
  'umask "$6"',
  'if [ -n "$9" ]; then ulimit -Sn "$9" || exit 125; fi',
  'if [ -n "${13}" ]; then ulimit -Sq "${13}" 2>/dev/null; fi',
  'if [ "${10}" = m ]; then set -m; fi',
  'token=$1 pidfile=$2 out=$3 err=$4 snap=$8 bg=${11} redir=${12}',
  'shift 14',
  'if [ -n "$bg" ]; then eval "\\"\\$@\\" $redir &"; wait "$!"; else eval "\\"\\$@\\" $redir"; fi',
  'st=$?',
  "pid='' alive=no outsize=- errsize=- src=$pidfile",
  'if [ -n "$snap" ] && [ -f "$pidfile" ]; then cat -- "$pidfile" > "$snap" 2>/dev/null && src=$snap; fi',
  'if [ -n "$src" ] && [ -f "$src" ]; then IFS= read -r pid < "$src"; fi',
  "case $pid in ''|*[!0-9]*) pid='' ;; *) kill -0 \"$pid\" 2>/dev/null && alive=yes ;; esac",
  'if [ -n "$out" ] && [ -f "$out" ]; then outsize=$(wc -c < "$out"); fi',
  'if [ -n "$err" ] && [ -f "$err" ]; then errsize=$(wc -c < "$err"); fi',
  "printf '\\n%s exit=%s pid=%s alive=%s out=%s err=%s\\n' \"$token\" \"$st\" \"$pid\" \"$alive\" $outsize $errsize",
  'while :; do read -r _ || exit 0; done',
].join('\n');

export interface OriginalExit {
  /** The shell's `$?`: the exit code, or 128+N when the process died of signal N. */
  status: number;
  /** The pid read from the pidfile at that moment, or null. */
  pidfilePid: number | null;
  /** Whether that pid was alive (kill -0) at that moment. */
  pidfileAlive: boolean;
  /** Sizes of the stdout / stderr logs at that moment (null: no such file). */
  stdoutSize: number | null;
  stderrSize: number | null;
}

/** Finds the report line behind `token` in the pty output (which has \r\n line ends). */
export function parseReportLine(output: string, token: string): OriginalExit | null {
  const re = new RegExp(`${token} exit=(\\d+) pid=(\\d*) alive=(yes|no) out=(\\S+) err=(\\S+)\\r?\\n`);
  const match = re.exec(output);
  if (!match) return null;
  const size = (value: string): number | null => (/^\d+$/.test(value) ? Number(value) : null);
  return {
    status: Number(match[1]),
    pidfilePid: match[2] ? Number(match[2]) : null,
    pidfileAlive: match[3] === 'yes',
    stdoutSize: size(match[4]!),
    stderrSize: size(match[5]!),
  };
}
