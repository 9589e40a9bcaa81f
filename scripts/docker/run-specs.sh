#!/usr/bin/env bash
# Runs vitest specs inside a fresh container of the project's image, the checkout mounted
# read-only (vite's caches on tmpfs), no network: the POSIX specs where PID 1, the kernel's
# view and the C library are the container's.   Usage: run-specs.sh [--init] [SPEC...]
# (default spec/posix). DAEMONSPEC_IMAGE names another image; DAEMONSPEC_CONTAINER names the
# container, so a caller that gives up can `docker rm -f` it.
set -euo pipefail
cd "$(dirname "$0")/../.."
image=${DAEMONSPEC_IMAGE:-daemonspec:local}
init=()
if [ "${1:-}" = "--init" ]; then init=(--init); shift; fi
[ $# -gt 0 ] || set -- spec/posix
marker=()
[ -z "${DAEMONSPEC_TEST_RUN:-}" ] || marker=(-e "DAEMONSPEC_TEST_RUN=$DAEMONSPEC_TEST_RUN")
name=(--name "${DAEMONSPEC_CONTAINER:-daemonspec-specs-$$}")
# The tmpfs mount points must exist in the read-only checkout (a fresh clone has neither yet).
mkdir -p node_modules/.vite reports
exec docker run --rm "${name[@]}" "${init[@]}" --network none --label daemonspec.check=1 "${marker[@]}" \
  -v "$PWD:/daemonspec:ro" --tmpfs /daemonspec/node_modules/.vite --tmpfs /daemonspec/reports \
  -w /daemonspec "$image" \
  node node_modules/vitest/vitest.mjs run --configLoader runner "$@"
