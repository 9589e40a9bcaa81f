import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Every process a test starts inherits DAEMONSPEC_TEST_RUN (vitest's workers are forked after
 * this runs). When the run ends, any process still carrying the marker is a daemon some test
 * failed to stop: it is killed and the run fails, naming it.
 */
export const MARKER = 'DAEMONSPEC_TEST_RUN';

function processesWithMarker(value: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  const needle = `${MARKER}=${value}`;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
      if (!env.includes(needle)) continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
      const state = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.[0];
      if (state === 'Z') continue; // a zombie is already dead; its parent is still running
      found.push({ pid, cmdline });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

export default function setup(): () => Promise<void> {
  const value = process.env[MARKER] ?? randomBytes(6).toString('hex');
  process.env[MARKER] = value;
  return async () => {
    if (process.platform !== 'linux') return;
    // Workers have exited by now; give their last kill()s a moment to land, without sleeping blindly.
    let left = processesWithMarker(value);
    const deadline = Date.now() + 5000;
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      left = processesWithMarker(value);
    }
    if (left.length === 0) return;
    for (const { pid } of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    throw new Error(
      `The test run left ${left.length} process(es) running (now killed); a test must stop what it starts:\n` +
        left.map((p) => `  ${p.pid} ${p.cmdline}`).join('\n'),
    );
  };
}
