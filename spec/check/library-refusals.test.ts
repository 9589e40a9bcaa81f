import { describe, expect, it } from 'vitest';
import { DaemonspecError } from '../../src/errors.js';
import { fuzzDaemon } from '../../src/fuzz/lazy.js';
import { inspect } from '../../src/inspect/index.js';

/*
 * What the library refuses before it starts anything is marked `refused` (the CLI exits 2 for it),
 * and says what to pass in the library's own words (a review: fuzzDaemon() said "--runs", and its
 * refusals and inspect()'s were not marked, so a caller could not tell them from a failed run).
 */
const loose = <T>(value: unknown): T => value as T;

describe('library refusals are marked refused and name the option as the library spells it', () => {
  it.each([
    ['fuzzDaemon runs: 0', () => fuzzDaemon(['/bin/true'], { runs: 0 }), /^fuzzDaemon\(\) option runs must be a positive integer, not 0$/],
    ['fuzzDaemon jobs: 1.5', () => fuzzDaemon(['/bin/true'], { jobs: 1.5 }), /^fuzzDaemon\(\) option jobs must be a positive integer, not 1.5$/],
    ['fuzzDaemon path without seed', () => fuzzDaemon(['/bin/true'], { path: '1:2' }), /^path \(--path\) needs the seed \(--seed\) it was found with$/],
    ['fuzzDaemon a path that names no caller (before any run)', () => fuzzDaemon(['/nonexistent/daemon'], { seed: 1, path: '0:99999' }), /^path \(--path\) 0:99999 names no caller of seed 1$/],
    ['fuzzDaemon an unknown rule', () => fuzzDaemon(['/bin/true'], { ignoreRules: ['nope'] }), /^ignoreRules \(--ignore-rules\): unknown rule "nope"/],
    ['fuzzDaemon a string command', () => fuzzDaemon(loose('sleep 1')), /^fuzzDaemon\(\) takes the command as an array: pass \["sleep","1"\], not "sleep 1"$/],
    ['inspect(-5)', () => Promise.resolve().then(() => inspect(-5)), /^not a process id: -5 \(give a positive integer\)$/],
  ])('%s', async (_name, call, message) => {
    const error = await call().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DaemonspecError);
    expect(error).toMatchObject({ code: 'EUSAGE', refused: true });
    expect((error as Error).message).toMatch(message);
  });
});
