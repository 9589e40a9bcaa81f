import { noDaemon, type Rule, sameFile, skip, verdict } from './rule.js';

export const noLeakedFds: Rule = {
  id: 'no-leaked-fds',
  title: "No fd inherited from the caller is still open",
  reference:
    'A daemon must close what it inherited (systemd daemon(7), SysV daemons, step 1): a leaked pipe keeps the ' +
    "caller waiting for EOF forever (conmon-rs#3363: a test suite hung for two hours on bats' fd 3), a leaked " +
    'pidfile fd blocks the next start (knsd/daemonize#39). The checker leaks a pipe and a file at high fds and ' +
    'recognises them by identity (device and inode), whatever number they end up on.',
  fix: 'Close every fd above 2 at start-up (close_range(3, ~0U, 0) or a /proc/self/fd listing), keeping only the ones you opened on purpose.',
  judge(context) {
    const { daemon, traps } = context;
    const expected = traps.map((t) => `not ${t.kind} ${t.target} (launcher fd ${t.fd})`);
    if (!daemon) return noDaemon(context, expected);
    if (daemon.fds === null) return skip(`the daemon's fds cannot be read: ${daemon.unknown.fds ?? 'unknown'}`);
    const leaked = daemon.fds
      .filter((fd) => traps.some((t) => sameFile(t, fd) || fd.target === t.target))
      .map((fd) => `fd ${fd.fd} → ${fd.target}`);
    return verdict(leaked.length === 0, [], leaked, 'none of the fds the launcher leaked is open', `still open from the launcher: ${leaked.join(', ')}`);
  },
};
