import { packageRoot } from '../package-root.js';

/**
 * The checkout or installed package root, found when first asked (an in-process host check
 * never asks: a copy of the code bundled into another package still runs it).
 */
export function projectRoot(): string {
  return packageRoot();
}

/** The CLI entry point (needs dist/ to be built). */
export function cliPath(): string {
  return `${packageRoot()}/bin/daemonspec.js`;
}

/** Where the docker backend mounts the project, read-only. */
export const CONTAINER_ROOT = '/daemonspec';

/** Where the docker backend mounts a per-check work directory, when one is given. */
export const CONTAINER_WORK = '/work';

/** The image `--isolation docker` uses unless `--image` says otherwise (scripts/docker/build-image.sh). */
export const DEFAULT_IMAGE = process.env.DAEMONSPEC_IMAGE ?? 'daemonspec:local';
