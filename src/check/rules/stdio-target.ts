import type { RuleId } from '../report-types.js';
import { citeFd } from '../../trace/cite.js';
import { noDaemon, type Rule, type RuleContext, sameFile, skip, verdict } from './rule.js';

/** stdout-target and stderr-target differ only in the fd and the option name. */
export function stdioTargetRule(id: RuleId & ('stdout-target' | 'stderr-target'), fdNumber: 1 | 2): Rule {
  const stream = fdNumber === 1 ? 'stdout' : 'stderr';
  return {
    id,
    title: `${stream} (fd ${fdNumber}) is the expected file`,
    reference:
      `fd ${fdNumber} must be open on the intended log or /dev/null: a closed fd ${fdNumber} is taken by the next open(), so a ` +
      'print or a panic corrupts a data file (immortal/fork#2, bmc/daemonize#34); a terminal fd writes into a dead ' +
      "session (systemd daemon(7), SysV daemons, step 9). The seed's (Crispim 2013) redirection puts its stderr log on fd 1 and leaves fd 2 closed.",
    fix: `Open the ${stream} log (or /dev/null) and dup2() it onto fd ${fdNumber}; never rely on open() picking the lowest free fd.`,
    cite: ({ trace, daemon }) => citeFd(trace, daemon.pid, fdNumber),
    judge(context: RuleContext) {
      const { daemon, expect, identities } = context;
      const path = expect[stream];
      if (path === undefined) return skip(`no expected ${stream} given (--${stream})`);
      if (!daemon) return noDaemon(context);
      if (daemon.fds === null) return skip(`the daemon's fds cannot be read: ${daemon.unknown.fds ?? 'unknown'}`);
      const fd = daemon.fds.find((f) => f.fd === fdNumber);
      if (!fd) return { status: 'fail', expected: path, actual: null, message: `fd ${fdNumber} is closed` };
      const id = identities[stream];
      if (id === null) return { status: 'fail', expected: path, actual: fd.target, message: `${path} does not exist; fd ${fdNumber} is ${fd.target}` };
      return verdict(sameFile(id, fd), path, fd.target, `fd ${fdNumber} is ${path}`, `fd ${fdNumber} is ${fd.target}, not ${path}`);
    },
  };
}
