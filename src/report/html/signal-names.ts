/**
 * Signal names by number for the OS a report came from, not the one rendering it: a page merged
 * on a Linux runner shows a macOS shard's signals by their macOS names (SIGUSR1 is 10 on Linux,
 * 30 on macOS). From the kernels' headers (Linux asm-generic/signal.h, xnu sys/signal.h).
 */
const COMMON = ['HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT'];
const LINUX = [...COMMON, 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM', 'TERM', 'STKFLT', 'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'IO', 'PWR', 'SYS'];
const DARWIN = [...COMMON, 'EMT', 'FPE', 'KILL', 'BUS', 'SEGV', 'SYS', 'PIPE', 'ALRM', 'TERM', 'URG', 'STOP', 'TSTP', 'CONT', 'CHLD', 'TTIN', 'TTOU', 'IO', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'INFO', 'USR1', 'USR2'];

/** SIGUSR1, SIGRTMIN+3 (glibc's SIGRTMIN is 34), or SIG<n> when the number has no name. */
export function signalNameFor(os: string, n: number): string {
  const table = os === 'darwin' ? DARWIN : LINUX;
  const name = table[n - 1];
  if (name !== undefined) return `SIG${name}`;
  if (os !== 'darwin' && n >= 34 && n <= 64) return n === 34 ? 'SIGRTMIN' : `SIGRTMIN+${n - 34}`;
  return `SIG${n}`;
}
