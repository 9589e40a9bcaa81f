#!/usr/bin/env bash
# Makes a Docker engine available on a Linux machine where none runs (CI, this dev box):
# installs Debian's docker.io if dockerd is missing, starts dockerd in the background without
# iptables or a bridge (no network is needed: every container runs with --network none), and
# waits until `docker info` answers. Idempotent: does nothing when an engine already answers.
# Needs root. Logs: $DAEMONSPEC_DOCKERD_LOG (default /var/log/daemonspec-dockerd.log).
set -euo pipefail
log=${DAEMONSPEC_DOCKERD_LOG:-/var/log/daemonspec-dockerd.log}
deadline_s=${DAEMONSPEC_DOCKERD_TIMEOUT:-60}
started=$(date +%s%N)

if docker info >/dev/null 2>&1; then
  echo "docker engine: already running"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "docker engine: not running, and starting one needs root (run: sudo $0)" >&2
  exit 1
fi
if ! command -v dockerd >/dev/null 2>&1; then
  echo "docker engine: installing docker.io"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
fi
if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "docker engine: starting dockerd (log: $log)"
  # setsid + nohup: the engine must outlive this script and the CI step that ran it.
  setsid nohup dockerd --iptables=false --ip6tables=false --bridge=none >"$log" 2>&1 </dev/null &
fi
end=$(( $(date +%s) + deadline_s ))
until docker info >/dev/null 2>&1; do
  if [ "$(date +%s)" -ge "$end" ]; then
    echo "docker engine: dockerd did not answer within ${deadline_s}s; last lines of $log:" >&2
    tail -n 20 "$log" >&2 || true
    exit 1
  fi
  sleep 0.2
done
echo "docker engine: ready in $(( ($(date +%s%N) - started) / 1000000 )) ms ($(docker version --format '{{.Server.Version}}'))"
