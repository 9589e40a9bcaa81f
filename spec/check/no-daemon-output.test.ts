import { describe, expect, test } from 'vitest';
import { NEUTRAL_CALLER, type CallerSpec } from '../../src/check/caller-spec.js';
import { checkOnHost } from '../../src/check/index.js';
import { expectClean } from './support.js';

/*
 * What a check that found no daemon shows as the command's output. The launcher shell's notice of a
 * job it saw killed (`daemonspec-launcher: line 13: 4242 Killed   "$@"`, after the timeout killed
 * the command) was shown as the command's own last output (found by a new user's probe). How the
 * command ended is in the report's reason already.
 */
describe('the output of a command that left no daemon', () => {
  test("the launcher's notice of the command killed at the timeout is not shown as the command's output", async () => {
    const report = await checkOnHost(['/bin/sh', '-c', 'echo its own words; exec /bin/sleep 30'], { timeoutMs: 1000 });
    expect(report.noDaemon?.reason).toMatch(/did not return within the timeout/);
    expect(report.noDaemon?.lastLines).toEqual(['its own words']);
    expect(report.terminalOutput).not.toMatch(/daemonspec-launcher/);
    expectClean(report);
  });

  test('nor is it, with the redirections bash prints after it when the caller\'s stdio is planted (found by a review)', async () => {
    const caller: CallerSpec = { ...NEUTRAL_CALLER, stdio: ['devnull', 'tty', 'tty'] };
    const report = await checkOnHost(['/bin/sh', '-c', 'echo hello; kill -9 $$'], { timeoutMs: 5000, caller });
    expect(report.noDaemon?.lastLines).toEqual(['hello']);
    expectClean(report);
  });
});
