import { describe, test } from 'vitest';
import { notifyReady } from '../../../src/check/rules/notify-ready.js';
import type { NotifyMessage } from '../../../src/check/readiness/notify-socket.js';
import { judgeRow, NO_DAEMON, type Row } from './table.js';

// The table's daemon is pid 702; the original (the command's own process) 610.
const from = (senderPid: number | null, fields: Record<string, string>): NotifyMessage => ({ fields, senderPid });
const given = (atExit: NotifyMessage[] | null, settled: NotifyMessage[] = atExit ?? [], extra: { unknownSender?: string; exitCode?: number; mainProcess?: { pid: number } } = {}) => ({
  notify: { atExit: atExit && { messages: atExit }, settled: { messages: settled }, unknownSender: extra.unknownSender ?? null, mainProcess: extra.mainProcess ?? null },
  launcher: { exitCode: extra.exitCode ?? 0 },
});
const MAC = 'macOS does not tell a datagram socket who sent a message (no SCM_CREDENTIALS); only MAINPID= can name the daemon';

const rows: Row[] = [
  { name: 'no --notify', given: {}, status: 'skip', message: /--notify/ },
  { name: 'READY=1 from the daemon', given: given([from(702, { READY: '1' })]), status: 'pass', message: /^READY=1 came from the daemon \(pid 702\)$/ },
  { name: 'READY=1 from the original, MAINPID= names the daemon', given: given([from(610, { MAINPID: '702', READY: '1' })]), status: 'pass', message: /MAINPID= named the daemon/ },
  { name: 'MAINPID= in an earlier message counts', given: given([from(610, { MAINPID: '702' }), from(610, { READY: '1' })]), status: 'pass' },
  { name: 'MAINPID= sent after READY=1 is too late', given: given([from(610, { READY: '1' }), from(610, { MAINPID: '702' })]), status: 'fail', message: /^READY=1 came from pid 610, not the daemon/ },
  { name: 'READY=1 from the original, no MAINPID=', given: given([from(610, { READY: '1' })]), status: 'fail', message: /NotifyAccess=main/ },
  { name: 'MAINPID= names another process', given: given([from(610, { MAINPID: '610', READY: '1' })]), status: 'fail', message: /^MAINPID=610 names another process than the daemon/ },
  { name: 'READY=0 is not ready', given: given([from(702, { READY: '0' })]), status: 'fail', message: /^no READY=1 arrived/ },
  { name: 'READY=1 only after the return', given: given([], [from(702, { READY: '1' })]), status: 'fail', message: /only after the command had returned/ },
  { name: 'ERRNO= with STATUS=', given: given([from(702, { STATUS: 'no config', ERRNO: '2' })], undefined, { exitCode: 1 }), status: 'fail', message: /^a failed start: ERRNO=2 \(STATUS=no config\)$/ },
  { name: 'ERRNO=, yet exit 0', given: given([from(702, { ERRNO: '5' })]), status: 'fail', message: /^a failed start: ERRNO=5, yet the command exited 0$/ },
  { name: 'nothing at all', given: given([]), status: 'fail', message: /^no READY=1 arrived on NOTIFY_SOCKET before the command returned$/ },
  { name: 'the command never returned', given: given(null, [from(702, { READY: '1' })]), status: 'fail', message: /never returned/ },
  { name: 'READY=1 but no daemon', given: { ...given([from(702, { READY: '1' })]), ...NO_DAEMON }, status: 'fail', message: /no daemon was found/ },
  { name: 'macOS: sender unknown, no MAINPID=', given: given([from(null, { READY: '1' })], undefined, { unknownSender: MAC }), status: 'skip', message: /macOS does not tell/ },
  { name: 'macOS: sender unknown, MAINPID= names the daemon', given: given([from(null, { MAINPID: '702', READY: '1' })], undefined, { unknownSender: MAC }), status: 'pass' },
  { name: 'service: READY=1 from its own process', given: given(null, [from(610, { READY: '1' })], { mainProcess: { pid: 610 } }), status: 'pass', message: /the service's own process \(pid 610\)/ },
  { name: 'service: READY=1 from a child', given: given(null, [from(611, { READY: '1' })], { mainProcess: { pid: 610 } }), status: 'fail', message: /came from pid 611/ },
  { name: 'service: no READY=1', given: given(null, [], { mainProcess: { pid: 610 } }), status: 'fail', message: /^no READY=1 arrived on NOTIFY_SOCKET$/ },
];

describe('notify-ready', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(notifyReady, row));
});
