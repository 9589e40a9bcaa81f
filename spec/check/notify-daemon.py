#!/usr/bin/env python3
"""A double-forking daemon that speaks sd_notify on $NOTIFY_SOCKET. usage: notify-daemon.py MODE PIDFILE

  daemon     the daemon sends READY=1 itself, then the original exits 0
  original   the original sends READY=1 (no MAINPID=) once the daemon runs, and exits 0
  mainpid    the original sends MAINPID=<daemon> and READY=1, and exits 0
  errno      the daemon sends STATUS=no config and ERRNO=2 and exits; the original exits 1
  late       the original exits 0 at once; the daemon sends READY=1 when its terminal hangs up,
             which the checker does only after it sampled the socket at the command's return
"""
import os
import signal
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
from sd_notify import notify  # noqa: E402 (spec/check/sd_notify.py, beside this script)

mode, pidfile = sys.argv[1], sys.argv[2]


r, w = os.pipe()
if os.fork() == 0:
    os.close(r)
    os.setsid()
    if os.fork() > 0:
        os._exit(0)
    os.chdir('/')
    os.umask(0o022)
    terminal = os.dup(0) if mode == 'late' else -1  # the caller's terminal, to learn of its hang-up
    null = os.open('/dev/null', os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(null, target)
    if mode == 'errno':
        notify('STATUS=no config\nERRNO=2')
        os.write(w, b'failed\n')
        os._exit(1)
    with open(pidfile + '.tmp', 'w') as f:
        f.write(f'{os.getpid()}\n')
    os.rename(pidfile + '.tmp', pidfile)
    if mode == 'daemon':
        notify('STATUS=serving\nREADY=1')
    os.write(w, f'{os.getpid()}\n'.encode())
    os.close(w)
    if mode == 'late':
        try:
            os.read(terminal, 1)  # returns (or fails with EIO) at the hang-up
        except OSError:
            pass
        notify('READY=1')
    signal.signal(signal.SIGTERM, lambda *_: (os.unlink(pidfile), os._exit(0)))
    while True:
        signal.pause()
os.close(w)
answer = os.read(r, 32).decode().strip()
if answer == 'failed':
    sys.exit(1)
if mode == 'original':
    notify('READY=1')
if mode == 'mainpid':
    notify(f'MAINPID={answer}\nREADY=1')
sys.exit(0)
