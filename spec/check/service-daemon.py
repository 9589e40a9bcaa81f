#!/usr/bin/env python3
"""A new-style service speaking sd_notify on $NOTIFY_SOCKET. usage: service-daemon.py MODE

  good         sends READY=1 itself and runs until SIGTERM
  forks        daemonizes (double fork) and returns 0 without READY=1, as an old-style daemon does
  child-ready  a child it started sends READY=1 (no MAINPID=); it runs until SIGTERM
  ignores-term sends READY=1 and ignores SIGTERM
  silent       never sends READY=1
"""
import os
import signal
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
from sd_notify import notify  # noqa: E402 (spec/check/sd_notify.py, beside this script)

mode = sys.argv[1]


signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
if mode == 'forks':
    if os.fork() > 0:
        sys.exit(0)
    os.setsid()
    if os.fork() > 0:
        os._exit(0)
    null = os.open('/dev/null', os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(null, target)
elif mode == 'child-ready':
    child = os.fork()
    if child == 0:
        notify('READY=1')
        os._exit(0)
    os.waitpid(child, 0)
elif mode == 'ignores-term':
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    notify('READY=1')
elif mode == 'good':
    notify('STATUS=serving\nREADY=1')
while True:
    signal.pause()
