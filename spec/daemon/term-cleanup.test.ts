/**
 * removePidfileOnTerm(): a Node daemon still dies of SIGTERM, with its pidfile removed first;
 * a program with its own SIGTERM listener keeps control. Real Node processes, real signals.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { workDir } from '../check/support.js';

const MODULE = new URL('../../dist/daemon/term-cleanup.js', import.meta.url).href;

/** Runs `body` in a fresh Node process that removes `file` on SIGTERM; resolves with how it ended. */
function run(body: string, file: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  const script = `
    import { rmSync } from 'node:fs';
    import { removePidfileOnTerm } from ${JSON.stringify(MODULE)};
    removePidfileOnTerm(() => rmSync(${JSON.stringify(file)}));
    ${body}
    process.stdout.write('listening\\n');
    setInterval(() => {}, 1000);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('listening\n')) child.kill('SIGTERM');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, output }));
  });
}

describe('removePidfileOnTerm', () => {
  test('alone: the pidfile is removed and the process still dies of SIGTERM', async () => {
    const file = join(workDir(), 'd.pid');
    writeFileSync(file, '1\n');
    const result = await run('', file);
    expect(result.signal).toBe('SIGTERM');
    expect(existsSync(file)).toBe(false);
  });

  test("with the program's own SIGTERM listener: it decides, and the file stays until its own clean-up", async () => {
    const file = join(workDir(), 'd.pid');
    writeFileSync(file, '1\n');
    const result = await run("process.on('SIGTERM', () => { process.stdout.write('own handler\\n'); process.exit(7); });", file);
    expect(result).toMatchObject({ code: 7, signal: null });
    expect(result.output).toContain('own handler');
    expect(existsSync(file)).toBe(true);
  });
});
