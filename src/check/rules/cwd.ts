import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Attribution } from '../report-types.js';
import { citeCall } from '../../trace/cite.js';
import { cwdSetByChain } from '../../trace/own-setting.js';
import { sameValueCaveat } from './attribution.js';
import { noDaemon, type Rule, skip, verdict } from './rule.js';

function resolvedDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}

export const cwd: Rule = {
  id: 'cwd',
  title: 'The working directory is changed',
  reference:
    'A daemon that keeps the directory it was started in keeps that file system busy (it cannot be unmounted) and ' +
    'resolves relative paths against a directory that may vanish (systemd daemon(7), SysV daemons, step 11: chdir ' +
    'to /). The checker starts the command in the directory it was started from (so relative arguments work), or in ' +
    'a fresh temporary directory when that one is the expected directory: staying there fails. A directory the ' +
    'program moves to itself (its state directory) is its choice, a note, unless the user gave --cwd (or a profile ' +
    'file of theirs does), or --strict: then the exact directory is judged.',
  fix: 'chdir() to the expected directory ("/" for a SysV daemon) during start-up.',
  cite: ({ trace, daemon }) => citeCall(trace, daemon.pid, ['chdir', 'fchdir'], 'chdir()'),
  judge(context) {
    const { daemon, expect, caller } = context;
    if (expect.cwd === undefined) return skip('no expected working directory given (--cwd)');
    if (!daemon) return noDaemon(context);
    if (daemon.cwd === null) return skip(`the working directory cannot be observed: ${daemon.unknown.cwd ?? 'unknown'}`);
    // The kernel reports the resolved path: compare with the expected directory resolved the same way.
    const wanted = daemon.cwd === resolvedDir(expect.cwd) || daemon.cwd === expect.cwd;
    // Equal to the caller's: inherited, unless the trace shows the program's own chdir() to it.
    const own = daemon.cwd === caller.cwd && context.trace !== null && cwdSetByChain(context.trace, daemon.pid) === true;
    const attribution: Attribution = daemon.cwd === caller.cwd && !own ? 'inherited' : 'chosen';
    // A finding is a directory other than the expected one (or the planted one, even if expected).
    const findings = wanted && attribution === 'chosen' ? [] : [{ what: `cwd ${daemon.cwd}`, attribution }];
    const whose = caller.cwdOrigin === 'trap' ? "the checker's temporary directory" : 'the directory the check was started from';
    const kept = `working directory ${daemon.cwd} is the caller's (${whose}): the daemon never changed it${sameValueCaveat(context)}`;
    if (expect.strict || expect.exact.includes('cwd')) {
      const fail = attribution === 'inherited' ? `${kept}; expected ${expect.cwd}` : `working directory ${daemon.cwd}, expected ${expect.cwd}`;
      return { ...verdict(wanted, expect.cwd, daemon.cwd, `working directory ${daemon.cwd}`, fail), findings };
    }
    if (attribution === 'inherited') return { status: 'fail', expected: expect.cwd, actual: daemon.cwd, message: kept, findings };
    const pass = wanted
      ? `working directory ${daemon.cwd}`
      : `working directory ${daemon.cwd}, chosen by the program (the profile suggests ${expect.cwd}): a note; give --cwd to judge the exact directory`;
    return { status: 'pass', expected: expect.cwd, actual: daemon.cwd, message: pass, findings };
  },
};
