import psList from 'ps-list';
import { expect, onTestFinished, test, vi } from 'vitest';
import { kill, reap } from '../../src/ffi/libc.js';
import { spawn } from '../../src/ffi/spawn.js';
import { commandLine, processesWhere, processSummary } from '../../src/inspect/index.js';

/*
 * The checker scans processes synchronously (inside its settle loop) through src/inspect
 * (Linux: /proc; macOS: proc_listpids + sysctl), where ps-list is asynchronous and runs `ps` on
 * macOS. ps-list, the project's chosen process lister, is the independent witness here: both
 * must see the same live processes with the same parents and names.
 */
test('processesWhere() and ps-list agree on a live process: pid, ppid, name, arguments', async () => {
  const pid = spawn({ path: '/bin/sleep', argv: ['sleep', '61'], env: { ...process.env } });
  onTestFinished(async () => {
    kill(pid, 9);
    await reap(pid);
  });
  await vi.waitFor(() => expect(commandLine(pid)).toEqual(['sleep', '61']), { timeout: 10_000, interval: 5 });

  const ours = processesWhere((p) => p.pid === pid);
  const theirs = (await psList()).filter((p) => p.pid === pid);
  expect(ours).toHaveLength(1);
  expect(theirs).toHaveLength(1);
  expect(ours[0]).toMatchObject({ pid, ppid: process.pid, name: 'sleep' });
  expect(theirs[0]).toMatchObject({ pid, ppid: ours[0]!.ppid, name: ours[0]!.name });
  expect(theirs[0]!.cmd).toBe(commandLine(pid)!.join(' '));
  expect(processSummary(pid)?.ppid).toBe(theirs[0]!.ppid);
});

test('every process ps-list sees that is still alive afterwards is in processesWhere()', async () => {
  const theirs = await psList();
  const ours = new Set(processesWhere(() => true).map((p) => p.pid));
  const missing = theirs.filter((p) => !ours.has(p.pid) && processSummary(p.pid) !== null);
  expect(missing).toEqual([]);
});
