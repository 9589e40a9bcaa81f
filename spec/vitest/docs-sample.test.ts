import { chmodSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDaemonAndCleanup, matchers } from '../../src/vitest/index.js';
import { testDir } from '../support/temp-dir.js';

/*
 * Issue 16.5: the failure message docs/vitest.md shows is the real one. A small Python daemon that
 * forks twice, calls setsid, chdir("/"), resets its signals and stdio, but keeps the caller's
 * umask and fds, is checked with a fixed seed (so the traps are always the same); the message of
 * toConform, with the run's pids, inodes and temporary paths put in fixed form, is the block in
 * docs/vitest.md. `UPDATE_DOCS=1 npx vitest run spec/vitest/docs-sample.test.ts` rewrites it.
 */
const DOC = 'docs/vitest.md';
const SEED = 'docs-vitest';
const START = `#!/usr/bin/python3
import os, signal, sys
pidfile = sys.argv[2]
r, w = os.pipe()
if os.fork():
    os.close(w)
    os.read(r, 1)
    os._exit(0)
os.close(r)
os.setsid()
if os.fork():
    os._exit(0)
os.chdir('/')
signal.pthread_sigmask(signal.SIG_SETMASK, [])
for n in range(1, signal.NSIG):
    try:
        signal.signal(n, signal.SIG_DFL)
    except (OSError, ValueError):
        pass
null = os.open('/dev/null', os.O_RDWR)
for n in (0, 1, 2):
    os.dup2(null, n)
with open(pidfile, 'w') as f:
    f.write(f'{os.getpid()}\\n')
os.write(w, b'r')
os.close(w)
signal.pause()
`;

function fence(text: string): { before: string; block: string; after: string } {
  const start = text.indexOf('```\nexpected ');
  const end = text.indexOf('\n```', start + 4);
  if (start < 0 || end < 0) throw new Error(`${DOC} has no \`\`\` block starting with "expected "`);
  return { before: text.slice(0, start + 4), block: text.slice(start + 4, end), after: text.slice(end) };
}

describe('docs/vitest.md', () => {
  it("shows toConform's real failure message", async () => {
    const dir = realpathSync(testDir('vitest-docs-'));
    mkdirSync(join(dir, 'bin'));
    const start = join(dir, 'bin/start');
    writeFileSync(start, START);
    chmodSync(start, 0o755);
    const pidfile = join(dir, 'mine.pid');
    const report = await checkDaemonAndCleanup([start, '--pidfile', pidfile], { pidfile, seed: SEED });
    const result = matchers.toConform.call({ isNot: false } as never, report, 'sysv');
    expect(result.pass).toBe(false);
    let message = result.message();
    const pid = report.daemon?.pid;
    expect(pid, message).toBeDefined();
    message = message
      .replaceAll(dir, '/tmp/mine')
      .replace(/\/[^\s"]*\/daemonspec-check-[^/\s"]+/g, '/tmp/daemonspec-check-x')
      .replace(/pipe:\[\d+\]/g, 'pipe:[81234]')
      .replace(new RegExp(`\\b${pid}\\b`, 'g'), '4242');
    const doc = readFileSync(DOC, 'utf8');
    const { before, block, after } = fence(doc);
    if (process.env.UPDATE_DOCS === '1') writeFileSync(DOC, `${before}${message}${after}`);
    else expect(block, `run UPDATE_DOCS=1 npx vitest run ${'spec/vitest/docs-sample.test.ts'}`).toBe(message);
  });
});
