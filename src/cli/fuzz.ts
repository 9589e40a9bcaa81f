import type { Command } from 'commander';
import { fuzzDaemon } from '../fuzz/index.js';
import { interruptible } from '../check/interrupt.js';
import { FUZZ_MARKER, fuzzInterruptCleanup } from '../fuzz/interrupt.js';
import { fuzzPage } from '../fuzz/html.js';
import { renderFuzzJson, renderFuzzJunit, renderFuzzText } from '../fuzz/render.js';
import { renderHtml } from '../report/html/index.js';
import { checkWritableFile, writeOutputFile } from './output-file.js';
import { addCommand } from './options/build.js';
import { convertFlags } from './options/convert.js';
import { FUZZ, type FuzzSettings } from './options/fuzz.js';

/**
 * `daemonspec fuzz [options] -- CMD ARGS...`: checks the command from many generated callers and
 * shrinks the first that breaks it. Exit 0 when no caller broke it, 1 when one did, 2 for a usage
 * or environment error.
 */
export function registerFuzz(program: Command, argv: readonly string[]): void {
  addCommand(program, FUZZ, argv)
    .addHelpText(
      'after',
      `
Each run plants a caller drawn by fast-check (fds 0-2 closed or elsewhere, extra fds of any kind
and number, blocked and ignored signals, umask, cwd, environment size, fd limit, terminal,
session, a subreaper above it or not) and judges the daemon with check's rules, in the
--isolation given. A rule that fails from the plain caller already is not counted. The first
caller that breaks the daemon is shrunk to the smallest one; the report says what in it breaks
which rule, and prints two replays: fuzz --seed S --path P, and a plain check --caller-json.
{pidfile} {stdout} {stderr} {dir} in the command and options are fresh paths per run. See docs/fuzz.md.

Exit status: 0 no caller broke the daemon; 1 a caller broke it (the report shows the smallest);
2 usage or environment error (nothing was run, or what was started could not be stopped);
130 interrupted (SIGINT, SIGTERM, SIGHUP: what its runs started is stopped, their directories removed).

Examples:
  $ daemonspec fuzz --runs 50 --pidfile {pidfile} -- daemonspec run --pidfile {pidfile} -- /bin/sleep 300
  $ daemonspec fuzz --seed 42 --path 3:0:1 --pidfile {pidfile} -- ./start.sh {pidfile}   # replay`,
    )
    .action(async (command: string[], flags: Record<string, unknown>) => {
      await runFuzz(command, convertFlags(FUZZ.options, flags));
    });
}

async function runFuzz(command: string[], settings: FuzzSettings): Promise<void> {
  const { json, junit, html, ...options } = settings;
  if (junit !== undefined) checkWritableFile('--junit', junit);
  if (html !== undefined) checkWritableFile('--html', html);
  const marker = fuzzInterruptCleanup();
  const report = await interruptible(marker.cleanup, () => fuzzDaemon(command, { ...options, env: { ...options.env, [FUZZ_MARKER]: marker.value } }));
  if (html !== undefined) writeOutputFile('--html', html, renderHtml(fuzzPage(report)));
  if (junit !== undefined) writeOutputFile('--junit', junit, renderFuzzJunit(report));
  process.stdout.write(json ? renderFuzzJson(report) : renderFuzzText(report));
  process.exitCode = report.verdict === 'pass' ? 0 : 1;
}
