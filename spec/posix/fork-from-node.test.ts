import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDir } from '../support/temp-dir.js';

/*
 * Why daemonspec never calls fork(): V8 maps its heap MADV_DONTFORK, so a child forked from Node
 * has no heap and dies (SIGSEGV) as soon as it returns into JavaScript. posix_spawn forks and execs
 * inside the C library with no JavaScript in between. Anyone "simplifying" the daemonizer back to
 * fork() should see this spec fail first. The fork happens in a throw-away Node process, not in the
 * test worker. Needs `npm run build` (the helper loads dist/).
 */
const DIST = resolve(import.meta.dirname, '../../dist/ffi');

const helper = (out: string) => `
import { writeSync, appendFileSync } from 'node:fs';
import { forkForSpecOnly, reapNow, kill } from '${DIST}/libc.js';
import { spawn } from '${DIST}/spawn.js';
const out = ${JSON.stringify(out)};
const pid = forkForSpecOnly();
if (pid === 0) {
  appendFileSync(out, 'the forked child ran JavaScript\\n');
  process.exit(0);
}
let result = null;
const deadline = Date.now() + 5000;
while (result === null && Date.now() < deadline) {
  result = reapNow(pid);
  if (result === null) await new Promise((r) => setTimeout(r, 10));
}
if (result === null) { kill(pid, 9); result = { hung: true, ...reapNowAfterKill(pid) }; }
function reapNowAfterKill(p) { for (;;) { const r = reapNow(p); if (r) return r; } }
const spawned = spawn({ path: '/bin/sh', argv: ['sh', '-c', 'echo spawned child ran >> "$0"', out], env: process.env });
let spawnedResult = null;
while (spawnedResult === null) { spawnedResult = reapNow(spawned); if (spawnedResult === null) await new Promise((r) => setTimeout(r, 5)); }
writeSync(1, JSON.stringify({ forked: result, spawned: spawnedResult }));
`;

// Linux only: the SIGSEGV comes from V8's MADV_DONTFORK heap, a Linux madvise flag; macOS has no
// such advice (xnu's fork copies every mapping), so there the forked child's fate is another story.
describe.runIf(process.platform === 'linux')('fork() from Node (why daemonspec uses posix_spawn; Linux: MADV_DONTFORK)', () => {
  it('a child forked from Node dies (SIGSEGV) or never runs JavaScript; posix_spawn from the same process works', () => {
    const dir = testDir('daemonspec-fork-');
    const out = join(dir, 'out');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', helper(out)], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { forked: { exitCode: number | null; signal: number | null; hung?: boolean }; spawned: { exitCode: number } };
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain('the forked child ran JavaScript');
    expect(report.forked.exitCode).toBeNull();
    // Exactly two outcomes are acceptable: it died of SIGSEGV by itself, or it hung without running
    // JavaScript and the helper's SIGKILL ended it.
    const outcome = { hung: report.forked.hung === true, signal: report.forked.signal };
    expect([{ hung: false, signal: 11 }, { hung: true, signal: 9 }]).toContainEqual(outcome);
    expect(report.spawned.exitCode).toBe(0);
    expect(text).toContain('spawned child ran');
  });
});
