import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, onTestFinished, test } from 'vitest';
import { py, report, skipUnlessCapable, start, statFields, waitFor } from './support.js';

// --kill-child: when unshare dies (the test's cleanup SIGKILLs it), the namespace's PID 1 gets
// SIGKILL too, and with it the whole namespace (as src/isolation/namespace.ts does).
const UNSHARE = ['/usr/bin/unshare', '--pid', '--fork', '--kill-child', '--mount-proc'];

/** Why a new PID namespace cannot be made here (not root, seccomp, no unshare), or null. */
function missingPidNamespace(): string | null {
  const result = spawnSync(UNSHARE[0]!, [...UNSHARE.slice(1), '/bin/true'], { encoding: 'utf8', timeout: 10_000 });
  if (result.error) return `unshare: ${result.error.message}`;
  return result.status === 0 ? null : `cannot create a PID namespace: ${result.stderr.trim()}`;
}

function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim().split(/\s+/).filter(Boolean).map(Number);
}

describe('in a new PID namespace', () => {
  // pid_namespaces(7): "a process ... whose parent is in a different (ancestor) namespace" sees
  // getppid() == 0. LTP containers/pidns/pidns02 (getppid of the namespace init).
  test("getppid() is 0 for a process whose parent is outside the namespace, and it is PID 1", async (context) => {
    skipUnlessCapable(context, missingPidNamespace());
    const p = start([...UNSHARE, ...py(`say('ids', [os.getpid(), os.getppid()])`)]);
    expect(await report(p, 'ids')).toEqual([1, 0]);
    expect((await p.exited).exitCode).toBe(0);
  });

  // pid_namespaces(7): "the only signals that can be sent to the init process are those for which
  // the init process has established a signal handler" (from inside; SIGKILL/SIGSTOP only from an
  // ancestor namespace). A plain program as PID 1 of a container ignores `kill -TERM 1`.
  test('PID 1 ignores signals it has no handler for: kill -TERM 1 from inside does not stop a plain sleep', async (context) => {
    skipUnlessCapable(context, missingPidNamespace());
    const p = start([...UNSHARE, '/bin/sleep', '1000']);
    const init = await waitFor('sleep to start as PID 1 of the namespace', () => {
      const [pid] = childrenOf(p.pid);
      return pid !== undefined && readFileSync(`/proc/${pid}/comm`, 'latin1').trim() === 'sleep' ? pid : undefined;
    }, { seen: () => JSON.stringify(childrenOf(p.pid)) });
    onTestFinished(() => {
      try {
        process.kill(init, 'SIGKILL');
      } catch {
        // already gone
      }
    });
    const inside = spawnSync('/usr/bin/nsenter', ['--target', String(init), '--pid', '--mount', '/bin/sh', '-c', 'kill -TERM 1; echo sent=$?'], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(inside.stdout).toContain('sent=0');
    // The signal was discarded at sending time (not queued): nothing pending, the process still sleeps.
    const status = readFileSync(`/proc/${init}/status`, 'latin1');
    expect(/^ShdPnd:\s*0+$/m.test(status) && /^SigPnd:\s*0+$/m.test(status), status).toBe(true);
    expect(statFields(init)[0]).toBe('S');
    // From the ancestor namespace SIGKILL is always delivered: that is how we stop it.
    process.kill(init, 'SIGKILL');
    // unshare --fork passes its child's death on: it re-raises the fatal signal on itself, except
    // util-linux <= 2.38, which tries signal(SIGKILL, SIG_DFL), fails with EINVAL and exits 1
    // saying so. Both, and nothing else, mean "PID 1 died of the SIGKILL".
    const exited = await p.exited;
    if (exited.signal === null) {
      expect(exited.exitCode).toBe(1);
      expect(p.output()).toContain('unshare: sigprocmask unblock failed: Invalid argument');
    } else {
      expect(exited).toEqual({ pid: p.pid, exitCode: null, signal: 9 });
    }
  });
});
