#!/usr/bin/env bash
# Builds the project's image (the Dockerfile) for `--isolation docker`. Without a registry it
# builds FROM the local base image (scripts/docker/build-base-image.sh, built here when
# missing); with one, set BASE=node:20-bookworm-slim. The project must be installed and built
# first (npm ci && npm run build): the image copies the checkout, node_modules and dist included.
# Checks mount the checkout read-only over /daemonspec, so code changes need no rebuild;
# rebuild after changing the Dockerfile or the base.
set -euo pipefail
cd "$(dirname "$0")/../.."
image=${1:-${DAEMONSPEC_IMAGE:-daemonspec:local}}
base=${BASE:-${DAEMONSPEC_BASE_IMAGE:-daemonspec-base:bookworm}}
started=$(date +%s%N)

[ -f dist/bundle/cli.cjs ] || { echo "image: dist/ is missing: run npm ci && npm run build first" >&2; exit 1; }
if [ "$base" = "${DAEMONSPEC_BASE_IMAGE:-daemonspec-base:bookworm}" ] && ! docker image inspect "$base" >/dev/null 2>&1; then
  bash scripts/docker/build-base-image.sh "$base"
fi
# A local base has every package, so the build needs no network; a registry base may need apt.
network=()
docker image inspect "$base" --format '{{.RepoDigests}}' 2>/dev/null | grep -q '@' || network=(--network none)
echo "image: building $image FROM $base"
# The legacy builder: it ships with every engine (BuildKit needs the buildx plugin); its
# deprecation notice is dropped.
DOCKER_BUILDKIT=0 docker build --quiet "${network[@]}" --build-arg BASE="$base" -t "$image" . 2> >(grep -v -e DEPRECATED -e 'BuildKit is currently disabled' -e 'environment-variable' -e '^ *$' >&2) >/dev/null
# The image a rebuild replaced is left untagged: remove those (ours only, by label).
docker image prune -f --filter label=org.daemonspec.image=1 >/dev/null || true
echo "image: $image built in $(( ($(date +%s%N) - started) / 1000000 )) ms"
