import { describe, test } from 'vitest';
import { staysInForeground } from '../../../src/check/rules/stays-in-foreground.js';
import { judgeRow, type Row } from './table.js';

const given = (returned: number | null, readyArrived: boolean, mainPid: number | null = 610) => ({
  service: { mainPid, returned: returned === null ? null : { status: returned }, readyArrived },
});

const rows: Row[] = [
  { name: 'not a service', given: {}, status: 'skip', message: /--profile systemd/ },
  { name: 'running when READY=1 arrived', given: given(null, true), status: 'pass', message: /^the command's own process \(pid 610\) was still running when READY=1 arrived$/ },
  { name: 'running at the deadline, no READY=1', given: given(null, false), status: 'pass', message: /at the deadline$/ },
  { name: 'returned 0 before READY=1: daemonized', given: given(0, false), status: 'fail', message: /exited with status 0 before READY=1: it daemonized/ },
  { name: 'returned 1 before READY=1: failed start', given: given(1, false), status: 'fail', message: /exited with status 1 before READY=1: the start failed$/ },
  { name: 'killed by a signal', given: given(137, false), status: 'fail', message: /was killed by signal 9/ },
  { name: 'returned, its pid never seen', given: given(0, false, null), status: 'fail', message: /^the command's own process exited with status 0/ },
  { name: 'said READY=1, then returned', given: given(0, true), status: 'fail', message: /^the command's own process \(pid 610\) exited with status 0$/ },
];

describe('stays-in-foreground', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(staysInForeground, row));
});
