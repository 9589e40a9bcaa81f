import { describe, test } from 'vitest';
import { umask } from '../../../src/check/rules/umask.js';
import { CALLER, daemon, judgeRow, NO_DAEMON, type Row } from './table.js';

// The planted umask is 035 (table.ts); the sysv profile suggests 022.
const rows: Row[] = [
  { name: 'the profile’s value', given: {}, status: 'pass', findings: [] },
  { name: 'inherited: the planted umask kept', given: { daemon: daemon({ umask: 0o035 }) }, status: 'fail', message: /0035 is the caller's/, findings: [['umask 0035', 'inherited']] },
  { name: 'chosen: nginx’s umask(0) is a note', given: { daemon: daemon({ umask: 0 }) }, status: 'pass', message: /chosen by the program/, findings: [['umask 0000', 'chosen']] },
  { name: 'chosen 027 is a note', given: { daemon: daemon({ umask: 0o027 }) }, status: 'pass', findings: [['umask 0027', 'chosen']] },
  { name: 'exact (user’s --umask 022): chosen 0 fails', given: { daemon: daemon({ umask: 0 }), expect: { exact: ['umask'] } }, status: 'fail', message: /umask 0000, expected 0022/, findings: [['umask 0000', 'chosen']] },
  { name: 'exact: inherited fails and says so', given: { daemon: daemon({ umask: 0o035 }), expect: { exact: ['umask'] } }, status: 'fail', message: /caller's.*expected 0022/, findings: [['umask 0035', 'inherited']] },
  { name: 'exact: the user’s value passes, even if it is the planted one', given: { daemon: daemon({ umask: 0o035 }), expect: { umask: 0o035, exact: ['umask'] } }, status: 'pass' },
  { name: 'strict: chosen 0 fails', given: { daemon: daemon({ umask: 0 }), expect: { strict: true } }, status: 'fail', findings: [['umask 0000', 'chosen']] },
  // Found by a probe: a --caller-* flag without --caller-umask plants 022, the profile's value too.
  { name: 'planted the expected value: the expected umask passes, saying what it cannot show', given: { caller: { ...CALLER, umask: 0o022 } }, status: 'pass', message: /the planted umask is the expected one/ },
  { name: 'planted the expected value, under --strict too', given: { caller: { ...CALLER, umask: 0o022 }, expect: { strict: true } }, status: 'pass' },
  { name: 'no expected umask (daemon3)', given: { expect: { umask: undefined } }, status: 'skip', message: /--umask/ },
  { name: 'not observable (macOS)', given: { daemon: daemon({ umask: null, unknown: { umask: 'not visible from outside' } }) }, status: 'skip', message: /not visible/ },
  { name: 'no daemon', given: NO_DAEMON, status: 'skip', message: /^not judged: / },
];

describe('umask', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(umask, row));
});
