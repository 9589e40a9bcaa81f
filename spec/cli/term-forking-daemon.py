#!/usr/bin/env python3
"""A daemon for spec/cli/interrupt.test.ts: double fork, then its pidfile. On SIGTERM it forks an
heir, waits (on a pipe) until the heir has written HEIR, removes its pidfile and exits. The heir removes HEIR
and exits on SIGTERM: it is left only if nobody sends it one.

    term-forking-daemon.py PIDFILE HEIR
"""
import os
import signal
import sys

pidfile, heir = sys.argv[1], sys.argv[2]
if os.fork() > 0:
    os._exit(0)
os.setsid()
if os.fork() > 0:
    os._exit(0)
devnull = os.open(os.devnull, os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(devnull, fd)


def heir_term(*_):
    try:
        os.unlink(heir)
    except FileNotFoundError:
        pass
    os._exit(0)


def term(*_):
    written, told = os.pipe()
    if os.fork() == 0:
        signal.signal(signal.SIGTERM, heir_term)
        with open(heir, 'w') as f:
            f.write(f'{os.getpid()}\n')
        os.write(told, b'x')
        while True:
            signal.pause()
    os.read(written, 1)
    os.unlink(pidfile)
    os._exit(0)


signal.signal(signal.SIGTERM, term)
with open(f'{pidfile}.tmp', 'w') as f:
    f.write(f'{os.getpid()}\n')
os.rename(f'{pidfile}.tmp', pidfile)
while True:
    signal.pause()
