# python-daemon (Debian python3-daemon): DaemonContext, then write the pidfile and idle.
import os
import sys
import time

import daemon

pidfile = sys.argv[1]
with daemon.DaemonContext(working_directory="/", umask=0o022):
    with open(pidfile, "w") as f:
        f.write(f"{os.getpid()}\n")
    while True:
        time.sleep(3600)
