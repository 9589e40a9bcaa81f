import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Absolute path of the CLI entry (runs dist/: build first, as `npm test` does). */
export const CLI = fileURLToPath(new URL('../../bin/daemonspec.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion (no terminal: stdout is a pipe) with extra environment variables. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, ...env }, timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface CliSyncResult extends CliResult {
  /** The signal that ended the CLI (SIGTERM when the timeout passed), or null. */
  signal: NodeJS.Signals | null;
  /** How long it ran. */
  ms: number;
}

/**
 * Runs the CLI to completion, synchronously, with exactly `env`. A CLI still running after
 * `timeoutMs` gets SIGTERM: `signal` and `ms` then tell a timeout from a crash.
 */
export function runCliSync(args: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): CliSyncResult {
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, signal: r.signal, ms: Date.now() - started, stdout: r.stdout, stderr: r.stderr };
}

/** For an assertion's message: how the CLI ended and what it printed on stderr. */
export function howItEnded(r: CliSyncResult): string {
  const ending = r.signal === null ? `exit ${r.code}` : `killed by ${r.signal}`;
  return `${ending} after ${r.ms} ms; stderr: ${r.stderr}`;
}
