// A Node script that daemonizes itself with daemonize(). argv[2] is JSON: { cloexec, options }.
// In the original: marks the listed fds FD_CLOEXEC (a caller's own fds usually are), then
// daemonize() exits 0 once the daemon is ready. In the daemon (the same script, re-executed):
// idles until killed.
import { setCloexec } from 'daemonspec/internal';
import { daemonize } from 'daemonspec';

const plan = JSON.parse(process.argv[2]);
if (process.env.DAEMONSPEC_DAEMON === undefined) for (const fd of plan.cloexec) setCloexec(fd, true);
await daemonize(plan.options);
setInterval(() => {}, 1 << 30);
