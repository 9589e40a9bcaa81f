import { checkOnHost } from '../check/index.js';
import type { CheckReport } from '../check/report-types.js';
import { checkArgv, deadlineFor } from './check-argv.js';
import { parseIsolatedReport } from './parse-report.js';
import { optionFiles } from './option-files.js';
import { cliPath } from '../package-root.js';
import { runChild } from './run-child.js';
import type { IsolatedCheck, IsolationBackend } from './types.js';

function inProcess(check: IsolatedCheck): Promise<CheckReport> {
  const { isolation: _isolation, image: _image, ...options } = check.options ?? {};
  return checkOnHost([...check.command], options);
}

async function childProcess(check: IsolatedCheck): Promise<CheckReport> {
  const files = optionFiles(check.options);
  try {
    const argv = [cliPath(), ...checkArgv(check.command, check.options, files)];
    const env = { ...process.env, ...check.options?.env };
    const result = await runChild(process.execPath, argv, { deadlineMs: deadlineFor(check.options, check.deadlineMs), env });
    return parseIsolatedReport(result, 'host', 'a child checker process');
  } finally {
    files.dispose();
  }
}

/** The checker on this machine, as the daemon's subreaper: in this process, or in a child one. */
export const hostBackend: IsolationBackend = {
  name: 'host',
  async run(check: IsolatedCheck): Promise<CheckReport> {
    const report = await (check.separateProcess ? childProcess(check) : inProcess(check));
    return { ...report, isolation: 'host' };
  },
};
