import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { commandLine, descendantsOf, inspect, processesWhere, processSummary } from '../../src/inspect/index.js';
import { bundleStaleness } from './bundle-fresh.js';
import { parentOf, taggedPids } from './proc.js';
import { leftoverTempMessage, startTempGuard } from './temp-guard.js';
import { killUntilGone } from './wait.mjs';

/**
 * Every process a test starts inherits DAEMONSPEC_TEST_RUN (vitest's workers are forked after
 * this runs). When the run ends, any process still carrying the marker is a daemon some test
 * failed to stop: it is killed and the run fails, naming it; so is a process whose command line
 * names the run's temporary directory (a daemon that rewrote its environment). Temporary directories are guarded
 * the same way (./temp-guard.ts): what a test leaves in the run's TMPDIR fails the run.
 */
export const MARKER = 'DAEMONSPEC_TEST_RUN';
/** Written by the teardown when processes were left running; read by scripts/ci-summary.mjs. */
export const LEFTOVERS_FILE = 'reports/leftover-processes.json';
/** Written by the teardown when temporary entries were left in the run's TMPDIR. */
export const LEFTOVER_TEMP_FILE = 'reports/leftover-temp.json';

/** This process and its ancestors: they may carry the marker too (a container's init given it with -e). */
function ancestors(): Set<number> {
  const out = new Set<number>();
  for (let pid: number | null = process.pid; pid !== null && pid > 0 && !out.has(pid); ) {
    out.add(pid);
    pid = parentOf(pid);
  }
  return out;
}

/** A process left running, with what says which test started it: its parent, its session's leader, its directory. */
interface Leftover {
  pid: number;
  cmdline: string;
  ppid: number | null;
  parent: string;
  sid: number | null;
  leader: string;
  cwd: string;
}

function describeLeftover(pid: number): Leftover {
  // src/inspect's argv: /proc/PID/cmdline on Linux, KERN_PROCARGS2 on macOS.
  const line = (of: number | null | undefined): string => (of ? (commandLine(of)?.join(' ') ?? '?') : '?');
  const summary = processSummary(pid);
  let cwd = '?';
  try {
    cwd = inspect(pid).cwd ?? '?'; // Linux /proc/PID/cwd; macOS proc_pidinfo
  } catch {
    // gone
  }
  return { pid, cmdline: line(pid), ppid: summary?.ppid ?? null, parent: line(summary?.ppid), sid: summary?.sid ?? null, leader: line(summary?.sid), cwd };
}

function processesOfRun(value: string, runDir: string): Leftover[] {
  const mine = ancestors();
  const pids = new Set(taggedPids(MARKER, value));
  // A daemon that rewrote its environment (nginx's and Redis's setproctitle) has lost the marker;
  // its command line still names its configuration in the run's directory.
  for (const p of processesWhere((q) => q.state !== 'Z')) if (commandLine(p.pid)?.join(' ').includes(runDir)) pids.add(p.pid);
  // And their children (nginx's workers name nothing), listed before their parent is killed.
  for (const pid of [...pids]) for (const child of descendantsOf(pid)) if (child.state !== 'Z') pids.add(child.pid);
  return [...pids].filter((pid) => !mine.has(pid)).map(describeLeftover);
}

export default function setup(): () => Promise<void> {
  const stale = bundleStaleness(process.cwd());
  if (stale !== null) throw new Error(stale);
  const value = process.env[MARKER] ?? randomBytes(6).toString('hex');
  process.env[MARKER] = value;
  rmSync(LEFTOVERS_FILE, { force: true });
  rmSync(LEFTOVER_TEMP_FILE, { force: true });
  const temp = startTempGuard();
  return async () => {
    const problems: string[] = [];
    const left = await leftoverProcesses(value, temp.dir);
    if (left.length > 0) {
      problems.push(
        `The test run left ${left.length} process(es) running (now killed); a test must stop what it starts:\n` +
          left.map((p) => `  ${p.pid} ${p.cmdline}\n    parent ${p.ppid} ${p.parent}; session ${p.sid} ${p.leader}; cwd ${p.cwd}`).join('\n'),
      );
      mkdirSync('reports', { recursive: true });
      writeFileSync(LEFTOVERS_FILE, `${JSON.stringify(left, null, 2)}\n`);
    }
    // After the processes are gone: a killed daemon can no longer create anything in it.
    const leftTemp = temp.finish();
    if (leftTemp.length > 0) {
      problems.push(leftoverTempMessage(leftTemp));
      mkdirSync('reports', { recursive: true });
      writeFileSync(LEFTOVER_TEMP_FILE, `${JSON.stringify(leftTemp, null, 2)}\n`);
    }
    if (problems.length === 0) return;
    // vitest reports an error thrown here but still exits 0 and has already written its JSON
    // report: the exit status is set here, and the leftovers are written next to the report so
    // scripts/ci-summary.mjs counts them as a failure.
    process.exitCode = 1;
    throw new Error(problems.join('\n'));
  };
}

/**
 * Processes still carrying the run's marker, or naming the run's directory in their command line,
 * SIGKILLed (after a short grace for the workers' last kills).
 */
async function leftoverProcesses(value: string, runDir: string): Promise<Leftover[]> {
  return killUntilGone(() => processesOfRun(value, runDir), (p) => p.pid, { timeoutMs: 5000, intervalMs: 50 });
}
