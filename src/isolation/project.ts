/** Where the docker backend mounts the project, read-only. */
export const CONTAINER_ROOT = '/daemonspec';

/** Where the docker backend mounts a per-check work directory, when one is given. */
export const CONTAINER_WORK = '/work';

/** The image `--isolation docker` uses unless `--image` says otherwise (scripts/docker/build-image.sh). */
export const DEFAULT_IMAGE = process.env.DAEMONSPEC_IMAGE ?? 'daemonspec:local';
