import { describe, expect, test } from 'vitest';
import { logContents } from '../../../src/check/rules/log-contents.js';
import { context, judgeRow, NO_DAEMON, type Row } from './table.js';

const withLog = (text: string | null) => ({ expect: { expectLog: '^ready$', stdout: '/tmp/out.log' }, logs: { stdout: text, stderr: null } });

const rows: Row[] = [
  { name: 'no expected line given', given: {}, status: 'skip', message: /--expect-log/ },
  { name: 'the line is there', given: withLog('starting\nready\n'), status: 'pass' },
  { name: 'the line is missing', given: withLog('starting\n'), status: 'fail', message: /no line of \/tmp\/out.log matches/ },
  { name: 'no log file to search', given: { expect: { expectLog: 'ready' } }, status: 'fail', message: /give --stdout and\/or --stderr/ },
  { name: 'judged without a daemon too: its error is in the log', given: { ...NO_DAEMON, ...withLog('fatal: cannot bind\n') }, status: 'fail' },
];

describe('log-contents', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(logContents, row));

  test('one file given as both --stdout and --stderr: its last lines are shown once', () => {
    const text = 'starting\nlistening\n';
    const judged = logContents.judge(context({ expect: { expectLog: '^ready$', stdout: '/tmp/l.log', stderr: '/tmp/l.log' }, logs: { stdout: text, stderr: text } }));
    expect(judged.status).toBe('fail');
    expect(judged.actual).toBe('starting | listening');
  });
});
