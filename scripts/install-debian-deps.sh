#!/usr/bin/env bash
# Debian packages the test suite and the conformance matrix use: the peer daemonizers run as
# fixtures, real server daemons nobody here wrote, and the tools the inspector and the reports
# are cross-checked with. Needs root (or sudo).
set -euo pipefail
packages=(
  python3 python3-daemon python3-psutil   # the seed re-implementation, python-daemon, psutil cross-check
  daemonize daemon libproc-daemon-perl ruby  # peer daemonizers used as fixtures
  lsof procps util-linux dpkg tini          # ps/lsof cross-checks, setsid/setpriv/unshare, start-stop-daemon
  libxml2-utils                             # xmllint: the JUnit reports are checked for well-formedness
  strace                                    # --trace: the calls each tool makes to daemonize
  gcc libc6-dev                             # cc: builds the libSystem stand-in of spec/inspect/darwin-marshalling.test.ts
  chromium                                  # the HTML report is looked at in a real headless browser
  # real server daemons, judged in the matrix's second table
  nginx-light redis-server memcached dnsmasq-base rsync lighttpd haproxy openssh-client gnupg tmux screen
)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

# A server package starts its service on install unless invoke-rc.d is told not to: policy-rc.d
# exiting 101 forbids it. Only put in place if none is there, and removed whatever happens.
policy=/usr/sbin/policy-rc.d
placed=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  placed=1
fi
cleanup() { [ -z "$placed" ] || $sudo rm -f "$policy"; }
trap cleanup EXIT

$sudo apt-get update -qq
# Names are Debian's. Another distribution may lack some (Ubuntu ships chromium as a snap, under
# another name): those are named and left out, so the rest still installs; the tests that need
# one skip with the reason, or fail with it when CI is set.
available=()
unavailable=()
for p in "${missing[@]}"; do
  candidate=$(apt-cache policy "$p" 2>/dev/null | sed -n 's/^ *Candidate: //p')
  if [ -n "$candidate" ] && [ "$candidate" != "(none)" ]; then available+=("$p"); else unavailable+=("$p"); fi
done
[ ${#unavailable[@]} -eq 0 ] || echo "install-debian-deps: not in this system's package sources, left out: ${unavailable[*]}" >&2
[ ${#available[@]} -eq 0 ] && exit 0
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${available[@]}"
