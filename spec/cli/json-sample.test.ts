import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDir } from '../support/temp-dir.js';
import { CLI } from './run-cli.js';

/*
 * Issue 16.7: docs/cli.md's JSON sample is the real output of `check --json`, generated here
 * from a real check (daemonspec run of /bin/sleep, a fixed trap seed): every key, in the order
 * the report prints it. Values that change from run to run (pids, inodes, devices, temporary
 * paths, the duration) are put in fixed form; the daemon's snapshot and all results but the
 * first are abbreviated. `UPDATE_DOCS=1 npx vitest run spec/cli/json-sample.test.ts` rewrites it.
 */
const DOC = 'docs/cli.md';
const BEGIN = '<!-- json-sample:begin -->\n```json\n';
const END = '```\n<!-- json-sample:end -->';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Short values on one line, the rest one key per line. */
function format(value: Json, indent = ''): string {
  const inline = JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']');
  if (value === null || typeof value !== 'object' || indent.length + inline.length <= 96) return inline;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + format(v, inner)).join(',\n')}\n${indent}]`;
  const lines = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

function sample(report: Record<string, Json>, dir: string): Record<string, Json> {
  const daemon = report.daemon as Record<string, Json>;
  const pids = new Map<number, number>([
    [daemon.pid as number, 4242],
    [daemon.ppid as number, 4200],
    [daemon.sid as number, 4241],
  ]);
  const text = JSON.stringify(report)
    .replaceAll(dir, '/tmp/t')
    .replace(/\/[^"]*?\/daemonspec-check-[^/"]+/g, '/tmp/daemonspec-check-x')
    .replace(/caller-[0-9a-f]+/g, 'caller-a1bb3f')
    .replace(/pipe:\[\d+\]/g, 'pipe:[9001]');
  const out = JSON.parse(text) as Record<string, Json>;
  out.command = ['daemonspec', ...(out.command as string[]).slice(2)];
  const caller = out.caller as Record<string, Json>;
  caller.fds = (caller.fds as Record<string, Json>[]).map((fd) => ({ ...fd, device: fd.kind === 'pipe' ? 14 : 2049, inode: fd.kind === 'pipe' ? 9001 : 77 }));
  const d = out.daemon as Record<string, Json>;
  out.daemon = { pid: 4242, ppid: pids.get(d.ppid as number) ?? 1, pgid: 4241, sid: 4241, '...': 'the Snapshot (see inspect)' };
  if (out.chain !== undefined) {
    out.chain = {
      checker: { name: 'node', pgid: 4100, pid: 4101, ppid: 4099, sid: 1000, tty: null },
      launcher: { name: 'bash', pgid: 4150, pid: 4150, ppid: 4101, sid: 4150, tty: '/dev/pts/3' },
    };
  }
  out.candidates = [4242];
  out.results = [(out.results as Json[])[0]!, '... one object per rule'];
  out.cleanup = { stopped: [4242], leftRunning: [] };
  out.durationMs = 123;
  return out;
}

describe('docs/cli.md', () => {
  it("shows check --json's real output", () => {
    const dir = realpathSync(testDir('json-sample-'));
    const pidfile = join(dir, 't.pid');
    const r = spawnSync(
      process.execPath,
      [CLI, 'check', '--json', '--seed', '1f3a9c07', '--pidfile', pidfile, '--', process.execPath, CLI, 'run', '--pidfile', pidfile, '--', '/bin/sleep', '30'],
      // Run from the temporary directory: the caller's cwd (the user's) is then put in fixed form
      // too, not the checkout's path, which differs from machine to machine.
      { encoding: 'utf8', timeout: 60_000, cwd: dir },
    );
    expect(r.status, r.stderr).toBe(0);
    const generated = `${format(sample(JSON.parse(r.stdout) as Record<string, Json>, dir))}\n`;
    const doc = readFileSync(DOC, 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END, start);
    expect(start, `${DOC} has no json-sample block`).toBeGreaterThan(0);
    if (process.env.UPDATE_DOCS === '1') writeFileSync(DOC, doc.slice(0, start + BEGIN.length) + generated + doc.slice(end));
    else expect(doc.slice(start + BEGIN.length, end), 'run UPDATE_DOCS=1 npx vitest run spec/cli/json-sample.test.ts').toBe(generated);
  });
});
