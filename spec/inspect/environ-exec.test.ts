import { expect, test } from 'vitest';
import { envValue } from '../../src/inspect/index.js';
import { countdown, execStorm } from '../support/exec-storm.js';

/*
 * The checker finds a check's processes by the marker in their environment. A process caught
 * inside an execve reads empty (the exec has not set the new environment yet, or fell between
 * the open and the read): 1369 of 20,000 reads of a process that execs in a loop came back
 * without its marker, and a daemon's worker would drop out of the check's scope for that read.
 */
test.runIf(process.platform === 'linux')('envValue reads the environment of a process that execs over and over, every time', async () => {
  const storm = await execStorm();
  const first = countdown(storm.pid);
  let missed = 0;
  for (let read = 0; read < 2_000; read++) if (envValue(storm.pid, 'EXEC_STORM') !== 'tag') missed++;
  // The reads ran while the shell was exec'ing: its countdown moved on, and it is still counting.
  expect(countdown(storm.pid)).toBeLessThan(first);
  expect(countdown(storm.pid)).toBeGreaterThan(0);
  expect(missed).toBe(0);
});
