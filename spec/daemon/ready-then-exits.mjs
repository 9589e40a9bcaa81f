// A Node daemon that reports ready and exits at once (status 3). Argv: PIDFILE STDERR.
// Whether the original sees the daemon alive when it lets go is a race by nature: it exits 0, or
// it reports the death, and then as a death after readiness (issue 12.5).
import { daemonize } from 'daemonspec';

const [pidfile, stderr] = process.argv.slice(2);
const daemon = await daemonize({ pidfile, stderr, manualReady: true });
process.stderr.write('served once, leaving\n');
daemon.ready();
process.exit(3);
