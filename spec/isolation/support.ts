import { isolationAvailability } from '../../src/isolation/availability.js';
import type { IsolationName } from '../../src/isolation/types.js';
import { testDir } from '../support/temp-dir.js';

/**
 * Whether an isolation's tests run here. Locally an unavailable isolation skips its tests,
 * with the reason in the suite's name; in CI (CI set) they run and fail with that reason.
 */
export async function isolationGate(name: IsolationName): Promise<{ run: boolean; label: string; reason?: string }> {
  const availability = await isolationAvailability(name);
  if (availability.available) return { run: true, label: name };
  if (process.env.CI) return { run: true, label: name, reason: availability.reason };
  return { run: false, label: `${name} (skipped: ${availability.reason})`, reason: availability.reason };
}

/** A fresh directory removed when the test ends. */
export function workDir(): string {
  return testDir('daemonspec-isolation-');
}

/**
 * A classic double-forking daemon in a few lines of Python (the interpreter is in the image
 * too): fork, setsid, fork, chdir /, umask 022, stdio on /dev/null, then the pidfile.
 */
export function doubleForkCommand(pidfile: string): string[] {
  const program = [
    'import os, sys, time',
    'if os.fork(): os._exit(0)',
    'os.setsid()',
    'if os.fork(): os._exit(0)',
    "os.chdir('/'); os.umask(0o022)",
    "fd = os.open('/dev/null', os.O_RDWR)",
    'for n in (0, 1, 2): os.dup2(fd, n)',
    "open(sys.argv[1] + '.tmp', 'w').write(str(os.getpid()))",
    "os.rename(sys.argv[1] + '.tmp', sys.argv[1])",
    'time.sleep(600)',
  ].join('\n');
  return ['/usr/bin/python3', '-c', program, pidfile];
}
