import type { CheckReport } from '../check/report-types.js';
import { DaemonspecError } from '../errors.js';
import { checkArgv, deadlineFor } from './check-argv.js';
import { parseIsolatedReport } from './parse-report.js';
import { optionFiles } from './option-files.js';
import { cliPath } from '../package-root.js';
import { runChild } from './run-child.js';
import { pid1Wrapper } from './subreaper.js';
import type { IsolatedCheck, IsolationBackend } from './types.js';

/**
 * `unshare --pid --fork --mount-proc`: the checker runs as PID 1 of a fresh PID namespace with
 * its own /proc, so every orphan of the command (the daemon) is reparented to the checker.
 * `--kill-child`: if unshare dies (deadline), the namespace's PID 1 gets SIGKILL, and with it
 * every process in the namespace. Linux only; needs CAP_SYS_ADMIN (root). `wrapper` (a planted
 * caller with a subreaper above it): a shell is PID 1 instead, and the checker its child.
 */
export function namespaceCommand(argv: readonly string[], wrapper: readonly string[] = []): string[] {
  return ['unshare', '--pid', '--fork', '--kill-child', '--mount-proc', '--', ...wrapper, process.execPath, cliPath(), ...argv];
}

export const namespaceBackend: IsolationBackend = {
  name: 'namespace',
  async run(check: IsolatedCheck): Promise<CheckReport> {
    if (process.platform !== 'linux') {
      throw new DaemonspecError('EUNSUPPORTED', 'namespace isolation needs Linux; use --isolation host or docker');
    }
    const files = optionFiles(check.options);
    try {
      const [file, ...args] = namespaceCommand(checkArgv(check.command, check.options, files), pid1Wrapper(check.options?.caller));
      const env = { ...process.env, ...check.options?.env };
      const result = await runChild(file!, args, { deadlineMs: deadlineFor(check.options, check.deadlineMs), env }).catch(
        (cause: NodeJS.ErrnoException) => {
          throw new DaemonspecError('EUNSUPPORTED', 'namespace isolation needs unshare (util-linux): apt-get install util-linux', {
            errno: cause.code,
            cause,
          });
        },
      );
      const refused = result.stderr.match(/^unshare: (.*)$/m);
      if (refused && !result.stdout.trim()) {
        throw new DaemonspecError(
          'EUNSUPPORTED',
          `namespace isolation could not create a PID namespace (${refused[1]}): it needs root (CAP_SYS_ADMIN); run as root, or use --isolation host or docker`,
        );
      }
      return parseIsolatedReport(result, 'namespace', 'a PID namespace');
    } finally {
      files.dispose();
    }
  },
};
