import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';

// A test that passes but leaves a process running, in a session of its own, as a daemon would.
it('leaves a sleep running', () => {
  const child = spawn('/bin/sleep', ['300'], { cwd: '/', detached: true, stdio: 'ignore' });
  child.unref();
  expect(child.pid).toBeGreaterThan(0);
});
