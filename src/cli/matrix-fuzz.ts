import { join } from 'node:path';
import { loadFixtures } from '../check/fixtures.js';
import { interruptible } from '../check/interrupt.js';
import { FUZZ_MARKER, fuzzInterruptCleanup } from '../fuzz/interrupt.js';
import { DaemonspecError } from '../errors.js';
import { readOutputFile, writeOutputFile } from './output-file.js';
import { packageRoot } from '../package-root.js';
import { fuzzPeers, type FuzzPeerRow } from '../matrix/fuzz-peers.js';
import { renderFuzzSection } from '../matrix/fuzz-section.js';
import { replaceSection } from '../matrix/markdown.js';
import type { MatrixSettings } from './options/matrix.js';

/** The options that mean nothing with --fuzz (it writes only its own section, on the host). */
const NOT_WITH_FUZZ = [
  ['json', '--json'],
  ['markdown', '--markdown'],
  ['junit', '--junit'],
  ['html', '--html'],
  ['trace', '--trace'],
  ['traceMarkdown', '--trace-markdown'],
  ['shard', '--shard'],
] as const;

/** Refuses what --fuzz cannot do, before anything starts. */
export function validateFuzzFlags(settings: MatrixSettings): void {
  if (settings.fuzz === undefined) {
    if (settings.fuzzMarkdown !== undefined) throw new DaemonspecError('EUSAGE', '--fuzz-markdown needs --fuzz RUNS: add it');
    if (settings.fuzzSeed !== undefined) throw new DaemonspecError('EUSAGE', '--fuzz-seed needs --fuzz RUNS: add it');
    return;
  }
  for (const [key, flag] of NOT_WITH_FUZZ) {
    if (settings[key] !== undefined && settings[key] !== false) throw new DaemonspecError('EUSAGE', `${flag} does not go with --fuzz (it fuzzes on the host and writes only --fuzz-markdown): drop ${flag}`);
  }
  if (settings.isolations !== undefined && settings.isolations.some((i) => i !== 'host')) {
    throw new DaemonspecError('EUSAGE', '--fuzz runs on the host only: drop --isolation');
  }
}

/**
 * The checkout's path and this machine's node out of a replay line, for a committed document:
 * `$PWD/fixtures/...`, run from the checkout's root (a check runs its command in a temporary
 * directory, where a relative path would not resolve).
 */
function portable(rows: FuzzPeerRow[]): FuzzPeerRow[] {
  const clean = (line: string): string => line.replaceAll(`${packageRoot()}/`, '$PWD/').replaceAll(process.execPath, 'node');
  return rows.map((row) => (row.found === null ? row : { ...row, found: { ...row.found, checkReplay: clean(row.found.checkReplay) } }));
}

function textOf(rows: readonly FuzzPeerRow[]): string {
  return rows
    .map((r) => {
      if (r.skipped !== null) return `${r.fixture}: not fuzzed: ${r.skipped}`;
      if (r.error !== undefined) return `${r.fixture}: the fuzz could not run: ${r.error}`;
      if (r.found === null) return `${r.fixture}: none in ${r.runs} runs`;
      return `${r.fixture}: with ${r.found.words}: ${r.found.failing.join(', ')}\n  replay: ${r.found.checkReplay}`;
    })
    .join('\n');
}

/** `matrix --fuzz RUNS`: every selected daemonizer fixture fuzzed; exit 0 (findings are the output, not failures). */
export async function runMatrixFuzz(settings: MatrixSettings): Promise<void> {
  const runs = settings.fuzz!;
  const seed = settings.fuzzSeed ?? 1;
  const fixtures = loadFixtures(join(packageRoot(), 'fixtures'), settings.fixtures);
  const tty = process.stderr.isTTY === true;
  // Ctrl-C stops every run's processes and removes their directories, as for `fuzz`.
  const marker = fuzzInterruptCleanup();
  const onFixture = tty ? (name: string): void => void process.stderr.write(`\r\x1b[Kfuzzing ${name}`) : undefined;
  const rows = await interruptible({ ...marker.cleanup, command: 'matrix' }, () =>
    fuzzPeers(fixtures, { runs, seed, jobs: settings.jobs, onFixture, env: { [FUZZ_MARKER]: marker.value } }),
  );
  if (tty) process.stderr.write('\r\x1b[K');
  process.stdout.write(`${textOf(rows)}\n`);
  const file = settings.fuzzMarkdown;
  if (file === undefined) return;
  writeOutputFile('--fuzz-markdown', file, replaceSection(readOutputFile(file) ?? '', 'fuzz', renderFuzzSection(portable(rows), { runs, seed })));
}
