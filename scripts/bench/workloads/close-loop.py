# Run under `prlimit --nofile=L:L`: the seed's way of closing fds, a Python loop over every
# number up to the hard limit, with N inherited fds open. Prints JSON: the samples in ms.
#   python3 close-loop.py OPEN REPS
import json
import os
import resource
import sys
import time

count, reps = int(sys.argv[1]), int(sys.argv[2])
limit = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
samples = []
for _ in range(reps + 1):
    for _ in range(count):
        os.open("/dev/null", os.O_RDONLY)
    t = time.perf_counter()
    for fd in range(3, limit):
        try:
            os.close(fd)
        except OSError:
            pass
    samples.append((time.perf_counter() - t) * 1000)
print(json.dumps({"limit": limit, "count": count, "loopIterations": limit - 3, "samples": samples[1:]}))
