import { describe, test } from 'vitest';
import { noLeakedFds } from '../../../src/check/rules/no-leaked-fds.js';
import { CALLER, daemon, judgeRow, NO_DAEMON, type Row } from './table.js';

const devnull = [0, 1, 2].map((fd) => ({ fd, target: '/dev/null', kind: 'device' as const, device: 5, inode: 4, cloexec: false, append: false, access: 'rw' as const }));
const pipeTrap = CALLER.fds[0]!;
const fileTrap = CALLER.fds[1]!;
const open = (fd: number, target: string, device: number, inode: number) => ({ fd, target, kind: 'other' as const, device, inode, cloexec: false, append: false, access: 'w' as const });

const rows: Row[] = [
  { name: 'nothing of the caller’s open', given: {}, status: 'pass', findings: [] },
  { name: 'the pipe still on its number', given: { daemon: daemon({ fds: [...devnull, open(57, pipeTrap.target, 14, 9001)] }) }, status: 'fail', findings: [['fd 57 → pipe:[9001]', 'inherited']] },
  { name: 'the file dup’ed elsewhere: found by identity', given: { daemon: daemon({ fds: [...devnull, open(3, fileTrap.target, 2049, 77)] }) }, status: 'fail', message: /fd 3 → /, findings: [[`fd 3 → ${fileTrap.target}`, 'inherited']] },
  { name: 'the program’s own fds on the trap numbers are not judged', given: { daemon: daemon({ fds: [...devnull, open(57, 'socket:[1]', 9, 1), open(211, '/var/log/x', 8, 5)] }) }, status: 'pass' },
  { name: 'fds unreadable', given: { daemon: daemon({ fds: null, unknown: { fds: 'EACCES' } }) }, status: 'skip', message: /EACCES/ },
  { name: 'no daemon', given: NO_DAEMON, status: 'skip', message: /^not judged: / },
];

describe('no-leaked-fds', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(noLeakedFds, row));
});
