// The Node workload of the benchmarks: the same script run three ways.
//   node node-idle.mjs daemonize PIDFILE   daemonspec daemonize(): the daemon idles, daemonize() writes the pidfile
//   node node-idle.mjs plain-exit PIDFILE  the same start, writes the pidfile itself and exits (the "plain Node" point)
//   node node-idle.mjs plain-idle PIDFILE  the same, but stays (for the memory comparison)
// Both modes import daemonspec, so the comparison isolates the cost of daemonizing.
import { writeFileSync } from 'node:fs';
import { daemonize } from 'daemonspec';

const [mode, pidfile] = process.argv.slice(2);
if (mode === 'daemonize') await daemonize({ pidfile });
else writeFileSync(pidfile, `${process.pid}\n`);
if (mode === 'plain-exit') process.exit(0);
setInterval(() => {}, 1 << 30);
