// A caller that daemonizes through the library: marks the fds it is told to as FD_CLOEXEC (a
// caller's own fds usually are), then spawnDaemon(). argv[2] is JSON: { cloexec, command, args, options }.
// Exit 0 once the daemon is ready, 1 with the error code and message on stderr.
import { setCloexec } from 'daemonspec/internal';
import { spawnDaemon } from 'daemonspec';

const plan = JSON.parse(process.argv[2]);
for (const fd of plan.cloexec) setCloexec(fd, true);
try {
  const started = await spawnDaemon(plan.command, plan.args, plan.options);
  process.stdout.write(`${started.pid}\n`);
} catch (error) {
  process.stderr.write(`${error.code ?? 'ERROR'}: ${error.message}\n`);
  process.exitCode = 1;
}
