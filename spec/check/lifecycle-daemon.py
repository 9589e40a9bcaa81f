#!/usr/bin/env python3
"""A small classic daemon for the life-cycle rules: correct, or with exactly one life-cycle defect.

usage: lifecycle-daemon.py MODE PIDFILE LOG

Correct (MODE correct): double fork, setsid, umask 022, cwd /, stdin /dev/null, stdout and stderr
on LOG, signal mask and dispositions reset, inherited fds closed. The daemon locks the pidfile
(flock) for its whole life and decides whether another copy runs by that lock alone; it writes
"PID\\n" before the original exits (told through a pipe), and removes the pidfile on SIGTERM.

Defects, one each:
  runs-twice       no lock: a second start runs a second daemon (second-start-refused)
  keeps-pidfile    exits on SIGTERM without removing the pidfile (pidfile-removed)
  trusts-stale     any existing pidfile means "already running" (stale-pidfile-recovered)
  refuses-empty    a 0-byte pidfile is an error (stale-pidfile-recovered, the 0-byte case)
  partial-pidfile  when the original exits, the pidfile holds the pid without its newline; the
                   daemon completes it once somebody has read it (pidfile-complete). The first
                   reader is the checker's launcher, sampling the file the instant the command
                   returns: inotify makes that an event, not a race.
"""
import ctypes
import fcntl
import os
import signal
import sys

MODES = {'correct', 'runs-twice', 'keeps-pidfile', 'trusts-stale', 'refuses-empty', 'partial-pidfile'}
READY = 'lifecycle-daemon ready'
IN_CLOSE_NOWRITE = 0x10


def refuse(message):
    sys.stderr.write(f'lifecycle-daemon: {message}\n')
    sys.exit(1)


def pidfile_says_running(pidfile, mode):
    """The defects that judge the pidfile by its existence or content instead of its lock."""
    try:
        with open(pidfile) as f:
            content = f.read()
    except FileNotFoundError:
        return False
    if mode == 'trusts-stale':
        return True
    if mode == 'refuses-empty' and content.strip() == '':
        refuse(f'{pidfile} is empty: not a pidfile')
    return False


def reset_process_state(keep):
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    for sig in range(1, signal.NSIG):
        try:
            signal.signal(sig, signal.SIG_DFL)
        except (OSError, ValueError):
            pass
    for name in os.listdir('/proc/self/fd'):
        fd = int(name)
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def wait_for_a_reader(pidfile):
    """Blocks until a process that opened the pidfile read-only closes it (inotify IN_CLOSE_NOWRITE)."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_CLOEXEC)
    if fd < 0 or libc.inotify_add_watch(fd, pidfile.encode(), IN_CLOSE_NOWRITE) < 0:
        refuse(f'inotify: errno {ctypes.get_errno()}')
    return fd


def daemon(mode, pidfile, log, status_w):
    os.setsid()
    if os.fork() > 0:
        os._exit(0)
    os.umask(0o022)
    os.chdir('/')
    null = os.open('/dev/null', os.O_RDONLY)
    out = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(null, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    lock = os.open(pidfile, os.O_RDWR | os.O_CREAT, 0o644)
    reset_process_state({status_w, lock})
    if mode != 'runs-twice':
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.write(status_w, b'running\n')
            os._exit(1)
    pid = os.getpid()
    os.ftruncate(lock, 0)
    watch = None
    if mode == 'partial-pidfile':
        os.pwrite(lock, str(pid).encode(), 0)
        watch = wait_for_a_reader(pidfile)
    else:
        os.pwrite(lock, f'{pid}\n'.encode(), 0)

    def on_term(_sig, _frame):
        if mode != 'keeps-pidfile':
            try:
                os.unlink(pidfile)
            except FileNotFoundError:
                pass
        os._exit(0)

    signal.signal(signal.SIGTERM, on_term)
    os.write(1, f'{READY} {pid}\n'.encode())
    os.write(status_w, b'ok\n')
    os.close(status_w)
    if watch is not None:
        os.read(watch, 4096)
        os.close(watch)
        os.pwrite(lock, f'{pid}\n'.encode(), 0)
    while True:
        signal.pause()


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in MODES:
        refuse(f'usage: lifecycle-daemon.py {"|".join(sorted(MODES))} PIDFILE LOG')
    mode, pidfile, log = sys.argv[1:]
    if pidfile_says_running(pidfile, mode):
        refuse(f'already running ({pidfile} exists)')
    r, w = os.pipe()
    if os.fork() == 0:
        os.close(r)
        try:
            daemon(mode, pidfile, log, w)
        finally:
            os._exit(1)
    os.close(w)
    answer = b''
    while not answer.endswith(b'\n'):
        chunk = os.read(r, 64)
        if not chunk:
            break
        answer += chunk
    if answer == b'ok\n':
        sys.exit(0)
    refuse('already running (the pidfile is locked)' if answer == b'running\n' else 'the daemon failed to start')


if __name__ == '__main__':
    main()
