import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
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
    "resolves relative paths against a directory that may vanish (systemd daemon(7), SysV daemons, step 11: chdir to /). The checker starts the command in a temporary directory.",
  fix: 'chdir() to the expected directory ("/" for a SysV daemon) during start-up.',
  judge(context) {
    const { daemon, expect } = context;
    if (expect.cwd === undefined) return skip('no expected working directory given (--cwd)');
    if (!daemon) return noDaemon(context, expect.cwd);
    if (daemon.cwd === null) return skip(`the working directory cannot be observed: ${daemon.unknown.cwd ?? 'unknown'}`);
    // The kernel reports the resolved path: compare with the expected directory resolved the same way.
    const wanted = resolvedDir(expect.cwd);
    return verdict(daemon.cwd === wanted || daemon.cwd === expect.cwd, expect.cwd, daemon.cwd, `working directory ${daemon.cwd}`, `working directory ${daemon.cwd}, expected ${expect.cwd}`);
  },
};
