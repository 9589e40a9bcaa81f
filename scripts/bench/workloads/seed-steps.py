# Fallback used only while fixtures/seed/ is absent: the seed article's steps in their order
# (fork, setsid, fork, umask 0, chdir, close every fd up to the hard RLIMIT_NOFILE, open the
# logs), then write the pidfile and idle. Its cost is dominated by the close loop.
import os
import resource
import sys
import time

pidfile = sys.argv[1]
if os.fork():
    os._exit(0)
os.setsid()
if os.fork():
    os._exit(0)
os.umask(0)
os.chdir("/")
for fd in range(resource.getrlimit(resource.RLIMIT_NOFILE)[1]):
    try:
        os.close(fd)
    except OSError:
        pass
sys.stdout = open("/dev/null", "w")
sys.stderr = open("/dev/null", "w")
with open(pidfile, "w") as f:
    f.write(f"{os.getpid()}\n")
while True:
    time.sleep(3600)
