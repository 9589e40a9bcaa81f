/**
 * A classic Python double-fork daemon for the fuzz specs, correct in every way but the ones
 * asked for: the parent waits for the first child (and survives an ignored SIGCHLD: waitpid's
 * ECHILD), the second fork's parent writes the pidfile (argv[1]) atomically, the daemon resets
 * its cwd, umask, mask and dispositions and puts /dev/null on fds 0-2.
 * - `closeNull`: `'above-2'` closes the /dev/null fd only when open() gave it a number above 2
 *   (correct); `'always'` closes it even when it is fd 0 (the caller had fd 0 closed): fd 0 then
 *   ends up closed.
 * - `closeBelow`: the close loop closes fds 3 to closeBelow - 1 (1024: the classic bound that
 *   leaks an fd at 1024 or above).
 */
export function doubleForkDaemonPy(options: { closeNull: 'above-2' | 'always'; closeBelow: number }): string {
  const closeNull = options.closeNull === 'always' ? 'os.close(fd)' : 'if fd > 2: os.close(fd)';
  return `import os, signal, sys, time
pidfile = sys.argv[1]
pid = os.fork()
if pid:
    try: os.waitpid(pid, 0)
    except ChildProcessError: time.sleep(0.5)
    sys.exit(0)
os.setsid()
pid = os.fork()
if pid:
    with open(pidfile + '.tmp', 'w') as f: f.write('%d\\n' % pid)
    os.rename(pidfile + '.tmp', pidfile)
    os._exit(0)
os.chdir('/')
os.umask(0o022)
signal.pthread_sigmask(signal.SIG_SETMASK, [])
for s in range(1, signal.NSIG):
    try: signal.signal(s, signal.SIG_DFL)
    except (OSError, ValueError): pass
fd = os.open('/dev/null', os.O_RDWR)
for n in (0, 1, 2): os.dup2(fd, n)
${closeNull}
os.closerange(3, ${options.closeBelow})
time.sleep(60)
`;
}

/**
 * A Python double-fork daemon, correct in every way but one: like many worker loops, it takes
 * adoption by init (getppid() == 1) for its parent's death and exits. Under a subreaper (the
 * checker on Linux) it runs; adopted by PID 1 it exits before it is ready, and its original
 * (which waits on a pipe for the daemon's word) exits 1. argv[1]: the pidfile the daemon writes.
 */
export function orphanWatchdogDaemonPy(): string {
  return `import fcntl, os, signal, sys, time
pidfile = sys.argv[1]
def high(fd):
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 3)
    os.close(fd)
    return moved
r, w = (high(fd) for fd in os.pipe())
pid = os.fork()
if pid:
    os.close(w)
    try: os.waitpid(pid, 0)
    except ChildProcessError: pass
    sys.exit(0 if os.read(r, 1) else 1)
os.close(r)
os.setsid()
parent = os.getpid()
if os.fork():
    os._exit(0)
while os.getppid() == parent: time.sleep(0.001)
if os.getppid() == 1:
    sys.exit(0)
os.chdir('/')
os.umask(0o022)
signal.pthread_sigmask(signal.SIG_SETMASK, [])
for s in range(1, signal.NSIG):
    try: signal.signal(s, signal.SIG_DFL)
    except (OSError, ValueError): pass
fd = os.open('/dev/null', os.O_RDWR)
for n in (0, 1, 2): os.dup2(fd, n)
if fd > 2: os.close(fd)
with open(pidfile + '.tmp', 'w') as f: f.write('%d\\n' % os.getpid())
os.rename(pidfile + '.tmp', pidfile)
os.write(w, b'1')
os.closerange(3, 65536)
time.sleep(60)
`;
}
