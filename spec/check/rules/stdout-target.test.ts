import { describe, test } from 'vitest';
import { stdoutTarget } from '../../../src/check/rules/stdout-target.js';
import { daemon, judgeRow, NO_DAEMON, type Row } from './table.js';

const LOG = '/var/log/x.log';
const fd = (n: number, target: string, device: number, inode: number) => ({ fd: n, target, kind: 'file' as const, device, inode, cloexec: false, append: true, access: 'w' as const });
const logged = { expect: { stdout: LOG }, identities: { devnull: { device: 5, inode: 4 }, stdout: { device: 8, inode: 100 }, stderr: { device: 8, inode: 100 } } };

const rows: Row[] = [
  { name: 'no expectation given', given: {}, status: 'skip', message: /--stdout/ },
  { name: 'fd 1 is the log (same device and inode)', given: { ...logged, daemon: daemon({ fds: [fd(1, LOG, 8, 100)] }) }, status: 'pass' },
  { name: 'fd 1 is another file', given: { ...logged, daemon: daemon({ fds: [fd(1, '/tmp/other', 8, 101)] }) }, status: 'fail', message: /fd 1 is \/tmp\/other, not/ },
  { name: 'fd 1 closed', given: { ...logged, daemon: daemon({ fds: [] }) }, status: 'fail', message: /fd 1 is closed/ },
  { name: 'the log does not exist', given: { ...logged, identities: { devnull: null, stdout: null, stderr: null }, daemon: daemon({ fds: [fd(1, '/tmp/x', 8, 1)] }) }, status: 'fail', message: /does not exist/ },
  { name: 'no daemon', given: { ...logged, ...NO_DAEMON }, status: 'skip', message: /^not judged: / },
];

describe('stdout-target', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(stdoutTarget, row));
});
