import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callerFlags } from '../check/caller-flags.js';
import type { CallerSpec } from '../check/caller-spec.js';
import { checkArgv } from '../isolation/check-argv.js';
import { shellQuote } from '../report/format.js';
import { type FuzzCheckOptions, fillOptions, fillRunPaths } from './run-caller.js';

/** The check flags of `options` (as `check` takes them), without the ones fuzz sets itself. */
function checkFlags(command: readonly string[], options: FuzzCheckOptions): string[] {
  const argv = checkArgv(command, options);
  const isolation = options.isolation !== undefined && options.isolation !== 'host' ? ['--isolation', options.isolation] : [];
  const image = options.image !== undefined ? ['--image', options.image] : [];
  return [...isolation, ...image, ...argv.slice(4, argv.indexOf('--'))];
}

/**
 * The two one-line replays of a counterexample: the fuzz command with `--seed S --path P`
 * (placeholders kept), and a plain `check` with the caller as `--caller-*` flags, its
 * placeholders filled with paths in one replay directory the line makes first.
 */
export function replayLines(command: readonly string[], options: FuzzCheckOptions, seed: number, path: string, caller: CallerSpec): { replay: string; checkReplay: string } {
  const replay = `daemonspec fuzz ${shellQuote([...checkFlags(command, options), '--seed', String(seed), '--path', path, '--', ...command])}`;
  const uses = [...command, ...Object.values(options).filter((v): v is string => typeof v === 'string')].some((v) => /\{(pidfile|stdout|stderr|dir)\}/.test(v));
  const dir = join(tmpdir(), `daemonspec-replay-${seed}`);
  const filled = command.map((arg) => fillRunPaths(arg, dir));
  const check = shellQuote(['daemonspec', 'check', ...checkFlags(filled, fillOptions(options, dir)), ...callerFlags(caller), '--', ...filled]);
  return { replay, checkReplay: uses ? `mkdir -p ${shellQuote([dir])} && ${check}` : check };
}
