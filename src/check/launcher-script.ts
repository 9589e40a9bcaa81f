/**
 * The launcher's shell program. Arguments: TOKEN PIDFILE STDOUT STDERR -- COMMAND ARGS...
 *
 * - `trap '' USR2`, `umask 077`: traps the daemon must undo (an ignored signal and a umask
 *   survive fork and exec). SIGUSR1 is blocked by posix_spawn before the shell starts.
 * - `set -m`: job control, so the command runs in its own process group, in the foreground
 *   of the pty, as from an interactive login shell. bash does this without being interactive.
 * - Right after the command's original process exits, it records the exit status and the
 *   readiness evidence of that very moment (the pidfile's pid and whether it is alive, the
 *   sizes of the logs, so the checker can apply the ready-log regex to what was there then),
 *   and prints them on the pty behind a random token. No extra fd is leaked to the command.
 * - Then it waits for the hangup: the checker closes the pty master, the kernel sends SIGHUP
 *   to this session leader, and it exits.
 *
 * Only builtins run before the report line except `wc` for the log sizes.
 */
export const LAUNCHER_SCRIPT = [
  "trap '' USR2",
  'umask 077',
  'set -m',
  'token=$1 pidfile=$2 out=$3 err=$4',
  'shift 5',
  '"$@"',
  'st=$?',
  "pid='' alive=no outsize=- errsize=-",
  'if [ -n "$pidfile" ] && [ -f "$pidfile" ]; then IFS= read -r pid < "$pidfile"; fi',
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
