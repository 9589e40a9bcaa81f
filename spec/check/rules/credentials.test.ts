import { describe, test } from 'vitest';
import { credentials } from '../../../src/check/rules/credentials.js';
import type { ExpectedUser } from '../../../src/check/user/expected-user.js';
import { CALLER, daemon, judgeRow, NO_DAEMON, type Row } from './table.js';

/** The daemon of table.ts runs as 1000:1000 with groups [1000]; the caller had 0 and 47000 planted. */
const USER: ExpectedUser = { name: 'app', uid: 1000, gid: 1000, groups: [27, 1000] };
const planted = { caller: { ...CALLER, groups: [0, 47000] }, user: USER };
const ids = (real: number, effective: number, saved: number) => ({ real, effective, saved });
const runningAs = (changes: object) => ({ ...planted, daemon: daemon({ uids: ids(1000, 1000, 1000), gids: ids(1000, 1000, 1000), groups: [1000, 27], ...changes }) });

const rows: Row[] = [
  { name: 'no --user', given: {}, status: 'skip', message: /--user/ },
  { name: 'setgid, initgroups, setuid', given: runningAs({}), status: 'pass', message: /^runs as app \(uid 1000, gid 1000\), groups 27, 1000$/ },
  { name: 'groups listed twice by the kernel are one set', given: runningAs({ groups: [27, 1000, 1000] }), status: 'pass' },
  {
    name: 'no initgroups: the planted groups kept',
    given: runningAs({ groups: [0, 47000] }),
    status: 'fail',
    message: /^the supplementary groups are 0, 47000, not app's 27, 1000; 0, 47000 planted in the caller: no initgroups$/,
    findings: [['supplementary group 0', 'inherited'], ['supplementary group 47000', 'inherited']],
  },
  { name: 'setgroups([]) instead of initgroups', given: runningAs({ groups: [] }), status: 'fail', message: /groups are none, not app's 27, 1000$/ },
  { name: 'only the primary group', given: runningAs({ groups: [1000] }), status: 'fail', message: /groups are 1000, not app's 27, 1000$/ },
  { name: 'the saved uid still root', given: runningAs({ uids: ids(1000, 1000, 0) }), status: 'fail', message: /^the uids \(real, effective, saved\) are 1000, 1000, 0, not 1000 \(app\)$/ },
  { name: 'only the effective gid changed', given: runningAs({ gids: ids(0, 1000, 0) }), status: 'fail', message: /the gids .* are 0, 1000, 0/ },
  { name: 'no drop at all', given: runningAs({ uid: 0, gid: 0, uids: ids(0, 0, 0), gids: ids(0, 0, 0), groups: [0, 47000] }), status: 'fail', message: /uids .* 0, 0, 0.*; the gids .*; the supplementary groups/ },
  { name: 'no daemon', given: { ...planted, ...NO_DAEMON }, status: 'skip', message: /^not judged: / },
];

describe('credentials', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(credentials, row));
});
