import { describe, test } from 'vitest';
import { stdinDevnull } from '../../../src/check/rules/stdin-devnull.js';
import { daemon, judgeRow, NO_DAEMON, type Row } from './table.js';

const fd = (n: number, target: string, device: number, inode: number) => ({ fd: n, target, kind: 'file' as const, device, inode, cloexec: false, append: false, access: 'rw' as const });

const rows: Row[] = [
  { name: 'fd 0 is /dev/null', given: {}, status: 'pass' },
  { name: 'not required (seed profile)', given: { expect: { stdinDevnull: false } }, status: 'skip', message: /does not require/ },
  { name: 'fd 0 is the old terminal', given: { daemon: daemon({ fds: [fd(0, '/dev/pts/3', 24, 6)] }) }, status: 'fail', message: /fd 0 is \/dev\/pts\/3/ },
  { name: 'fd 0 closed', given: { daemon: daemon({ fds: [fd(1, '/dev/null', 5, 4)] }) }, status: 'fail', message: /fd 0 is closed/ },
  { name: 'fds unreadable', given: { daemon: daemon({ fds: null, unknown: { fds: 'EACCES' } }) }, status: 'skip', message: /EACCES/ },
  { name: 'no daemon', given: NO_DAEMON, status: 'skip', message: /^not judged: / },
];

describe('stdin-devnull', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(stdinDevnull, row));
});
