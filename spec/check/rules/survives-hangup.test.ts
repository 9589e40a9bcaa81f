import { describe, test } from 'vitest';
import { survivesHangup } from '../../../src/check/rules/survives-hangup.js';
import { judgeRow, NO_DAEMON, type Row } from './table.js';

const rows: Row[] = [
  { name: 'still running after the hangup', given: { survivedHangup: true }, status: 'pass' },
  { name: 'died with the terminal', given: { survivedHangup: false }, status: 'fail', message: /died when the terminal hung up/ },
  { name: 'no daemon', given: NO_DAEMON, status: 'skip', message: /^not judged: / },
];

describe('survives-hangup', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(survivesHangup, row));
});
