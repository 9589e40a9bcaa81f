// A Node daemon that dies before it is ready, for the failure-latency benchmark (issue 14.2).
// Argv: MODE PIDFILE STAMP. MODE: fail (handle.fail()), exit (process.exit(3)), kill (SIGKILL
// itself). The daemon writes Date.now() to STAMP just before it dies: the original's exit minus
// that instant is how late the failure is reported.
import { writeFileSync } from 'node:fs';
import { daemonize } from 'daemonspec';

const [mode, pidfile, stamp] = process.argv.slice(2);
const daemon = await daemonize({ pidfile, manualReady: true });
writeFileSync(stamp, String(Date.now()));
if (mode === 'fail') daemon.fail(new Error('port in use'));
if (mode === 'exit') process.exit(3);
process.kill(process.pid, 'SIGKILL');
