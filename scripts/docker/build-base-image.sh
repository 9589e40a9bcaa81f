#!/usr/bin/env bash
# Builds a local Debian bookworm base image for the project's Dockerfile where no registry is
# reachable (CI here, air-gapped machines): debootstrap from the machine's own Debian mirror,
# with every fixture runtime already installed, plus this machine's Node (bookworm's nodejs is
# v18 and daemonspec needs >= 20; the host's binary is a glibc build and bookworm's glibc runs it),
# then `docker import`. Cached: does nothing when the image exists (FORCE=1 rebuilds).
# With a registry you do not need this: the Dockerfile's default base is node:20-bookworm-slim.
# Needs root, debootstrap and a running engine (scripts/docker/setup-engine.sh).
set -euo pipefail
image=${1:-${DAEMONSPEC_BASE_IMAGE:-daemonspec-base:bookworm}}
started=$(date +%s%N)

# Keep in step with scripts/install-debian-deps.sh and the Dockerfile's list: the image build runs
# without a network (dockerd --bridge=none), so every package the Dockerfile wants must be here.
packages=python3,python3-daemon,python3-psutil,daemonize,daemon,libproc-daemon-perl,ruby,procps,util-linux,tini,lsof,strace,libstdc++6

# The cache holds only when the existing image was built from this same list (its label says).
if [ "${FORCE:-0}" != 1 ] && docker image inspect "$image" >/dev/null 2>&1; then
  built_with=$(docker image inspect -f '{{ index .Config.Labels "org.daemonspec.packages" }}' "$image" 2>/dev/null || true)
  if [ "$built_with" = "$packages" ]; then
    echo "base image: $image exists (FORCE=1 to rebuild)"
    exit 0
  fi
  echo "base image: $image was built with other packages (${built_with:-none recorded}): rebuilding"
fi
[ "$(id -u)" -eq 0 ] || { echo "base image: debootstrap needs root (run: sudo $0)" >&2; exit 1; }
if ! command -v debootstrap >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

# The first non-security Debian URI the machine already uses (deb822 or one-line format).
mirror=${DAEMONSPEC_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$( (grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}';
             grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}') |
            grep -v security | head -n 1 || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

node_bin=$(readlink -f "$(command -v node)")
node_version=$("$node_bin" -v)
case "$node_version" in v1[0-9].*|v[0-9].*) echo "base image: host node $node_version is older than 20" >&2; exit 1;; esac

root=$(mktemp -d /tmp/daemonspec-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "base image: debootstrap bookworm from $mirror"
debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" >"$root.log" 2>&1 ||
  { tail -n 30 "$root.log" >&2; exit 1; }
rm -f "$root.log"
install -m 0755 "$node_bin" "$root/usr/local/bin/node"
# The host's node must run on the image's libraries (a distribution build linking libnode or
# a newer glibc would not): try it in the new root before importing.
chroot "$root" /usr/local/bin/node -e 'process.exit(0)' ||
  { echo "base image: $node_bin does not run in a bookworm root (ldd: $(ldd "$node_bin" | tr '\n' ' '))" >&2; exit 1; }
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
echo "base image: docker import as $image (node $node_version)"
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  --change "LABEL org.daemonspec.packages=$packages" \
  - "$image" >/dev/null
echo "base image: $image built in $(( ($(date +%s%N) - started) / 1000000 )) ms"
