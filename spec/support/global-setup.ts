import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { statFields, taggedPids } from './proc.js';

/**
 * Every process a test starts inherits DAEMONSPEC_TEST_RUN (vitest's workers are forked after
 * this runs). When the run ends, any process still carrying the marker is a daemon some test
 * failed to stop: it is killed and the run fails, naming it.
 */
export const MARKER = 'DAEMONSPEC_TEST_RUN';
/** Written by the teardown when processes were left running; read by scripts/ci-summary.mjs. */
export const LEFTOVERS_FILE = 'reports/leftover-processes.json';

/** This process and its ancestors: they may carry the marker too (a container's init given it with -e). */
function ancestors(): Set<number> {
  const out = new Set<number>();
  for (let pid = process.pid; pid > 0 && !out.has(pid); ) {
    out.add(pid);
    try {
      pid = Number(statFields(pid)[1]);
    } catch {
      break;
    }
  }
  return out;
}

function processesWithMarker(value: string): { pid: number; cmdline: string }[] {
  const mine = ancestors();
  return taggedPids(MARKER, value).filter((pid) => !mine.has(pid)).map((pid) => {
    let cmdline = '?';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
    } catch {
      // gone meanwhile
    }
    return { pid, cmdline };
  });
}

export default function setup(): () => Promise<void> {
  const value = process.env[MARKER] ?? randomBytes(6).toString('hex');
  process.env[MARKER] = value;
  rmSync(LEFTOVERS_FILE, { force: true });
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
    const message =
      `The test run left ${left.length} process(es) running (now killed); a test must stop what it starts:\n` +
      left.map((p) => `  ${p.pid} ${p.cmdline}`).join('\n');
    // vitest reports an error thrown here but still exits 0 and has already written its JSON
    // report: the exit status is set here, and the leftovers are written next to the report so
    // scripts/ci-summary.mjs counts them as a failure.
    process.exitCode = 1;
    mkdirSync('reports', { recursive: true });
    writeFileSync(LEFTOVERS_FILE, `${JSON.stringify(left, null, 2)}\n`);
    throw new Error(message);
  };
}
