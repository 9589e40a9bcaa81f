import type { FdInfo } from '../../inspect/snapshot.js';
import type { Finding } from '../report-types.js';
import type { Snapshot } from '../../inspect/snapshot.js';
import { citeFd } from '../../trace/cite.js';
import type { PlantedCaller } from '../caller.js';
import type { TrapObject } from '../traps.js';
import { noDaemon, type Rule, sameFile, skip, verdict } from './rule.js';

/** Whether a daemon fd is a planted one: by identity (an eventfd by its fdinfo id, or its number), the terminal above fd 2 only. */
function isTrap(trap: TrapObject, fd: FdInfo): boolean {
  if (trap.kind === 'eventfd') {
    // By its id where the kernel gives one (any number); else by number, the only clue left.
    if (trap.inode !== 0 && fd.eventfdId !== undefined) return fd.eventfdId === trap.inode;
    return fd.fd === trap.fd && fd.target === trap.target;
  }
  if (trap.kind === 'tty' && fd.fd <= 2) return false;
  return sameFile(trap, fd) || fd.target === trap.target;
}

/** The daemon's fds that are one of the caller's trap objects. */
function leakedFds(daemon: Snapshot, caller: PlantedCaller): NonNullable<Snapshot['fds']> {
  return (daemon.fds ?? []).filter((fd) => caller.fds.some((t) => isTrap(t, fd)));
}

export const noLeakedFds: Rule = {
  id: 'no-leaked-fds',
  title: "No fd inherited from the caller is still open",
  reference:
    'A daemon must close what it inherited (systemd daemon(7), SysV daemons, step 1): a leaked pipe keeps the ' +
    "caller waiting for EOF forever (conmon-rs#3363: a test suite hung for two hours on bats' fd 3), a leaked " +
    'pidfile fd blocks the next start (knsd/daemonize#39). The checker leaks a pipe and a file at fd numbers drawn ' +
    'per run and recognises them by identity (device and inode), whatever number they end up on: every one found ' +
    'is inherited. The fds the program opens itself are its own and not judged.',
  fix: 'Close every fd above 2 at start-up (close_range(3, ~0U, 0) or a /proc/self/fd listing), keeping only the ones you opened on purpose.',
  cite: ({ trace, daemon, caller }) => {
    const cited = leakedFds(daemon, caller).map((fd) => citeFd(trace, daemon.pid, fd.fd));
    return cited.includes(null) ? null : cited.map((c, i) => (i === 0 ? c : c!.replace(/^trace: /, ''))).join('; ');
  },
  judge(context) {
    const { daemon, caller } = context;
    if (!daemon) return noDaemon(context);
    if (daemon.fds === null) return skip(`the daemon's fds cannot be read: ${daemon.unknown.fds ?? 'unknown'}`);
    const leaked = leakedFds(daemon, caller).map((fd) => `fd ${fd.fd} → ${fd.target}`);
    const findings = leaked.map((what): Finding => ({ what, attribution: 'inherited' }));
    return {
      ...verdict(leaked.length === 0, [], leaked, 'none of the fds the launcher leaked is open', `still open from the launcher: ${leaked.join(', ')}`),
      findings,
    };
  },
};
