/*
 * Some Linux system calls replace the caller's signal mask with one of their own while they wait
 * (rt_sigsuspend always; ppoll, pselect6 and epoll_pwait when given a mask) and put the old one
 * back when they return. /proc/PID/status shows the mask in force, so a process waiting in one
 * shows the temporary mask, not its own: nginx's master sleeps in rt_sigsuspend with an empty
 * mask while the signals it blocked (and one its caller blocked) are hidden. The kernel keeps the
 * real mask where /proc does not show it (saved_sigmask), so such a reading is not one.
 *
 * /proc/PID/syscall (readable with ptrace access) names the call the main thread waits in:
 * `NR ARG1 ... ARG6 SP PC`, `-1 SP PC` outside a call, or `running`.
 */

interface MaskWait {
  name: string;
  /** Index of the argument that holds the mask (the call replaces the mask only when it is not NULL); null: always. */
  maskArg: number | null;
}

/** The calls by number, per Node's process.arch (asm/unistd.h of each). */
const MASK_WAITS: Readonly<Record<string, Readonly<Record<number, MaskWait>>>> = {
  x64: {
    130: { name: 'rt_sigsuspend', maskArg: null },
    270: { name: 'pselect6', maskArg: 5 },
    271: { name: 'ppoll', maskArg: 3 },
    281: { name: 'epoll_pwait', maskArg: 4 },
    441: { name: 'epoll_pwait2', maskArg: 4 },
  },
  arm64: {
    22: { name: 'epoll_pwait', maskArg: 4 },
    72: { name: 'pselect6', maskArg: 5 },
    73: { name: 'ppoll', maskArg: 3 },
    133: { name: 'rt_sigsuspend', maskArg: null },
    441: { name: 'epoll_pwait2', maskArg: 4 },
  },
};

/** The call `syscallText` shows the thread waiting in with a signal mask of the call's own, or null (none, or an arch not listed). */
export function maskReplacingWait(syscallText: string, arch: string = process.arch): string | null {
  const [nr, ...args] = syscallText.trim().split(/\s+/);
  const call = MASK_WAITS[arch]?.[Number(nr)];
  if (call === undefined || args.length < 6) return null;
  if (call.maskArg === null) return call.name;
  try {
    return BigInt(args[call.maskArg]!) !== 0n ? call.name : null;
  } catch {
    return null;
  }
}
