import { describe, test } from 'vitest';
import { notifyFdReady } from '../../../src/check/rules/notify-fd-ready.js';
import { judgeRow, type Row } from './table.js';

const state = (text: string, closed: boolean) => ({ text, closed });
const given = (atExit: ReturnType<typeof state> | null, settled: ReturnType<typeof state>, exitCode = 0) => ({
  notifyFd: { fd: 3, atExit, settled },
  launcher: { exitCode },
});

const rows: Row[] = [
  { name: 'no --notify-fd', given: {}, status: 'skip', message: /--notify-fd/ },
  { name: 'newline, then closed', given: given(state('\n', false), state('\n', true)), status: 'pass', message: /^a newline arrived on fd 3 before the command returned$/ },
  { name: 'newline, fd kept open', given: given(state('\n', false), state('\n', false)), status: 'pass', message: /still holds fd 3 open/ },
  { name: 'text before the newline is fine', given: given(state('ok\n', false), state('ok\n', true)), status: 'pass' },
  { name: 'newline only after the command returned', given: given(state('', false), state('\n', true)), status: 'fail', message: /only after the command had returned/ },
  { name: 'EOF without newline, exit 1: a failed start', given: given(state('', false), state('', true), 1), status: 'fail', message: /^fd 3 was closed without a newline: a failed start$/ },
  { name: 'EOF without newline, yet exit 0', given: given(state('', false), state('', true)), status: 'fail', message: /a failed start, yet the command exited 0$/ },
  { name: 'a partial line, then EOF', given: given(state('rea', false), state('rea', true)), status: 'fail', message: /closed without a newline/ },
  { name: 'nothing, still open', given: given(state('', false), state('', false)), status: 'fail', message: /^nothing on fd 3/ },
  { name: 'the command never returned', given: given(null, state('', false)), status: 'fail', message: /never returned/ },
];

describe('notify-fd-ready', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(notifyFdReady, row));
});
