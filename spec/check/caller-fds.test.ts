import { describe, expect, test } from 'vitest';
import { NEUTRAL_CALLER } from '../../src/check/caller-spec.js';
import { checkOnHost } from '../../src/check/index.js';
import { expectClean, explain } from './support.js';

/*
 * A caller's planted pipe and socket (--caller-fds, caller-plant.ts) are named by the reader that
 * reads the daemon's fds (traps.ts trapIdentity: inspect on this process), so a daemon that keeps
 * them is caught whatever the OS names them by (issue 18.2: on macOS fstat's st_ino of a unix
 * socket is a counter, not the soi_so proc_pidfdinfo gives).
 */

// A daemon that keeps every fd it inherited above 2: sleep, backgrounded by a shell that exits.
const KEEPS_FDS = ['/bin/sh', '-c', 'exec </dev/null >/dev/null 2>&1; /bin/sleep 60 & exit 0'];

describe('fds planted in the caller', () => {
  test('a pipe, a unix socket and a file the daemon keeps are found leaked, by the identity the daemon shows', async () => {
    const caller = {
      ...NEUTRAL_CALLER,
      fds: [
        { fd: 14, kind: 'pipe' as const, cloexec: false },
        { fd: 15, kind: 'socket' as const, cloexec: false },
        { fd: 16, kind: 'file' as const, cloexec: false },
      ],
    };
    const report = await checkOnHost(KEEPS_FDS, { caller });
    const planted = [14, 15, 16].map((n) => report.caller.fds.find((t) => t.fd === n)!);
    expect(planted.map((t) => t.kind)).toEqual(['pipe', 'socket', 'file']);
    const daemonFds = new Map((report.daemon?.fds ?? []).map((fd) => [fd.fd, fd.target]));
    expect(daemonFds.get(14), explain(report)).toBe(planted[0]!.target);
    expect(daemonFds.get(15), explain(report)).toBe(planted[1]!.target);
    expect(daemonFds.get(16), explain(report)).toBe(planted[2]!.target);
    const leaked = report.results.find((r) => r.rule === 'no-leaked-fds')!;
    expect(leaked.status).toBe('fail');
    expect(leaked.actual).toEqual(expect.arrayContaining([`fd 14 → ${planted[0]!.target}`, `fd 15 → ${planted[1]!.target}`, `fd 16 → ${planted[2]!.target}`]));
    expect(planted[1]!.target).toMatch(/^socket:\[\d+\]$/);
    expectClean(report);
  });
});
