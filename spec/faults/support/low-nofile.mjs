// A caller whose RLIMIT_NOFILE leaves exactly `free` fds for daemonspec's set-up: the library is
// loaded first (Node's module loader needs fds of its own), then the limit is lowered with
// prlimit(1) on this process, then spawnDaemon(). argv[2] is JSON: { free, command, args, options }.
// Exit 0 once the daemon is ready, 1 with `CODE: message` on stderr.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { spawnDaemon } from 'daemonspec';

const plan = JSON.parse(process.argv[2]);
const open = () => readdirSync('/proc/self/fd').map(Number);
// The smallest limit under which exactly `free` fd numbers are unused (fds are allocated lowest first).
const fds = new Set(open());
let limit = 1;
while (limit - [...fds].filter((fd) => fd < limit).length < plan.free + 1) limit++;
const result = spawnSync('/usr/bin/prlimit', ['--pid', String(process.pid), `--nofile=${limit}:${limit}`], { stdio: 'ignore' });
if (result.status !== 0) {
  process.stderr.write(`SETUP: prlimit failed (${result.status})\n`);
  process.exit(3);
}
try {
  const started = await spawnDaemon(plan.command, plan.args, plan.options);
  process.stdout.write(`${started.pid}\n`);
} catch (error) {
  process.stderr.write(`${error.code ?? 'ERROR'}: ${error.message}\n`);
  process.exitCode = 1;
}
