import { readFileSync } from 'node:fs';
import { runCommand } from './run-command.js';
import type { DoctorCheck } from './types.js';

interface NofileLimit {
  soft: string;
  hard: string;
}

function fromProc(): NofileLimit | null {
  try {
    const line = readFileSync('/proc/self/limits', 'latin1')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const [soft, hard] = line?.slice('Max open files'.length).trim().split(/\s+/) ?? [];
    return soft && hard ? { soft, hard } : null;
  } catch {
    return null;
  }
}

async function fromShell(timeoutMs: number): Promise<NofileLimit | null> {
  const outcome = await runCommand('/bin/sh', ['-c', 'ulimit -n; ulimit -Hn'], timeoutMs);
  const [soft, hard] = outcome.stdout.trim().split('\n');
  return outcome.code === 0 && soft && hard ? { soft: soft.trim(), hard: hard.trim() } : null;
}

/** RLIMIT_NOFILE: what a loop-to-the-limit daemonizer (the seed, libslack daemon) would pay. */
export async function probeNofile(timeoutMs: number): Promise<DoctorCheck> {
  const limit = fromProc() ?? (await fromShell(timeoutMs));
  const base = { id: 'rlimit-nofile' as const, title: 'RLIMIT_NOFILE (soft / hard)' };
  if (!limit) {
    return { ...base, status: 'warn', value: null, meaning: 'The open-file limit could not be read.', fix: 'Run `ulimit -n; ulimit -Hn` to see it.' };
  }
  const hard = limit.hard === 'unlimited' ? Number.POSITIVE_INFINITY : Number(limit.hard);
  const large = hard > 65536;
  return {
    ...base,
    status: large ? 'warn' : 'ok',
    value: `${limit.soft} / ${limit.hard}`,
    meaning: large
      ? `A high hard limit: daemonizers that close fds by looping to it (the seed, python-daemon, libslack daemon) take ${limit.hard} close() calls per start. daemonspec is not affected.`
      : 'daemonspec closes only the fds that are open, so this limit does not affect its start-up time.',
    fix: large ? 'Nothing to do for daemonspec; for looping peers, lower the limit before they start (ulimit -n 1024).' : null,
  };
}
