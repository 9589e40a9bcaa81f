# The image daemonspec's docker isolation runs checks in: every fixture's runtime plus the
# project at /daemonspec. With a registry, build it as is:
#   npm ci && npm run build && docker build -t daemonspec .
# Without one (CI here), scripts/docker/build-image.sh builds it FROM a local base image that
# already holds every package below, so no RUN step needs the network.
ARG BASE=node:20-bookworm-slim
FROM ${BASE}
LABEL org.daemonspec.image="1"

# The fixture runtimes (keep in step with scripts/install-debian-deps.sh); only what is missing
# is installed, so a base image that has them all never touches apt.
RUN set -eu; \
    missing=""; \
    for p in python3 python3-daemon python3-psutil daemonize daemon libproc-daemon-perl ruby \
             procps util-linux tini lsof strace; do \
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"; \
    done; \
    if [ -n "$missing" ]; then \
      apt-get update; \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing; \
      rm -rf /var/lib/apt/lists/*; \
    fi

WORKDIR /daemonspec
COPY . /daemonspec
# node_modules from the build context is used when it was installed for Linux; otherwise (a
# macOS checkout, or none) install and build here, which needs the npm registry.
RUN node -e "require('koffi')" 2>/dev/null || npm ci --no-audit --no-fund; \
    test -f dist/bundle/cli.cjs || npm run build

# Checks run the daemonizer under test from a pty the checker opens itself: no -t needed.
CMD ["node", "/daemonspec/bin/daemonspec.js", "--help"]
