import { describe, test } from 'vitest';
import { noCapabilities } from '../../../src/check/rules/no-capabilities.js';
import type { ExpectedUser } from '../../../src/check/user/expected-user.js';
import type { Privileges } from '../../../src/inspect/privileges.js';
import { judgeRow, NO_DAEMON, type Row } from './table.js';

const USER: ExpectedUser = { name: 'app', uid: 1000, gid: 1000, groups: [1000] };
const NONE = '0000000000000000';
const privileges = (changes: Partial<Privileges> = {}): Privileges => ({
  capabilities: { effective: NONE, permitted: NONE, ambient: NONE, inheritable: NONE, bounding: '000001ffffffffff' },
  noNewPrivs: false,
  coreLimit: { soft: 0, hard: 'unlimited' },
  dumpable: true,
  unknown: {},
  ...changes,
});
const caps = (effective: string, permitted: string, ambient: string) => ({ capabilities: { effective, permitted, ambient, inheritable: NONE, bounding: '000001ffffffffff' } });
const given = (changes: Partial<Privileges> = {}) => ({ user: USER, privileges: privileges(changes) });

const rows: Row[] = [
  { name: 'no --user', given: { privileges: privileges() }, status: 'skip', message: /--user/ },
  { name: 'nothing left; NoNewPrivs and core settings reported', given: given(), status: 'pass', message: /^no capability left; NoNewPrivs 0; RLIMIT_CORE 0\/unlimited; dumpable yes$/ },
  { name: 'a full bounding set is not a capability held', given: given(), status: 'pass' },
  { name: 'ambient capability kept', given: given(caps('0000000000000400', '0000000000000400', '0000000000000400')), status: 'fail', message: /^still holds CapEff 0000000000000400, CapPrm 0000000000000400, CapAmb 0000000000000400 as app/ },
  { name: 'KEEPCAPS: permitted kept, effective dropped', given: given(caps(NONE, '00000000000000c0', NONE)), status: 'fail', message: /^still holds CapPrm 00000000000000c0 as app/ },
  { name: 'NoNewPrivs set, not dumpable', given: given({ noNewPrivs: true, dumpable: false, coreLimit: { soft: 'unlimited', hard: 'unlimited' } }), status: 'pass', message: /NoNewPrivs 1; RLIMIT_CORE unlimited\/unlimited; dumpable no$/ },
  { name: 'macOS: no capabilities to read', given: given({ capabilities: null, noNewPrivs: null, coreLimit: null, dumpable: null, unknown: { capabilities: 'macOS has no POSIX capabilities', noNewPrivs: 'no flag', coreLimit: 'not readable', dumpable: 'not readable' } }), status: 'skip', message: /^capabilities unknown: macOS has no POSIX capabilities; NoNewPrivs unknown \(no flag\)/ },
  { name: 'the daemon exited before it was read', given: { user: USER, privileges: null }, status: 'skip', message: /not read/ },
  { name: 'no daemon', given: { user: USER, privileges: null, ...NO_DAEMON }, status: 'skip', message: /^not judged: / },
];

describe('no-capabilities', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(noCapabilities, row));
});
