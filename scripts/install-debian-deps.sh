#!/usr/bin/env bash
# Debian packages the test suite and the conformance matrix use: the peer daemonizers run as
# fixtures, and the tools the inspector is cross-checked against. Needs root (or sudo).
set -euo pipefail
packages=(
  python3 python3-daemon python3-psutil   # the seed re-implementation, python-daemon, psutil cross-check
  daemonize daemon libproc-daemon-perl ruby  # peer daemonizers used as fixtures
  lsof procps util-linux dpkg tini          # ps/lsof cross-checks, setsid/setpriv/unshare, start-stop-daemon
  libxml2-utils                             # xmllint: the JUnit reports are checked for well-formedness
)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
