#!/usr/bin/env python3
"""A daemon using s6's readiness protocol on fd FD. usage: notify-fd-daemon.py MODE FD PIDFILE

  ready   the daemon writes a newline to FD and closes it, then the original exits 0
  fails   the daemon closes FD without a newline and exits; the original exits 1
  mute    the daemon closes FD without a newline and runs on; the original exits 0
"""
import os
import signal
import sys

mode, fd, pidfile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
r, w = os.pipe()
if os.fork() == 0:
    os.close(r)
    os.setsid()
    if os.fork() > 0:
        os._exit(0)
    os.chdir('/')
    os.umask(0o022)
    null = os.open('/dev/null', os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(null, target)
    with open(pidfile + '.tmp', 'w') as f:
        f.write(f'{os.getpid()}\n')
    os.rename(pidfile + '.tmp', pidfile)
    if mode == 'ready':
        os.write(fd, b'\n')
    os.close(fd)
    os.write(w, b'failed\n' if mode == 'fails' else b'ok\n')
    os.close(w)
    if mode == 'fails':
        os.unlink(pidfile)
        os._exit(1)
    signal.signal(signal.SIGTERM, lambda *_: (os.unlink(pidfile), os._exit(0)))
    while True:
        signal.pause()
os.close(w)
os.close(fd)
answer = os.read(r, 16)
sys.exit(0 if answer == b'ok\n' else 1)
