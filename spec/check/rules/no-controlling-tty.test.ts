import { describe, test } from 'vitest';
import { noControllingTty } from '../../../src/check/rules/no-controlling-tty.js';
import { daemon, judgeRow, NO_DAEMON, type Row } from './table.js';

const rows: Row[] = [
  { name: 'no controlling terminal', given: {}, status: 'pass' },
  { name: 'the old pty', given: { daemon: daemon({ tty: { device: 34816, name: '/dev/pts/3' } }) }, status: 'fail', message: /\/dev\/pts\/3/ },
  { name: 'a terminal without a device node', given: { daemon: daemon({ tty: { device: 34817, name: null } }) }, status: 'fail', message: /device 34817/ },
  { name: 'no daemon', given: NO_DAEMON, status: 'skip', message: /^not judged: / },
];

describe('no-controlling-tty', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(noControllingTty, row));
});
