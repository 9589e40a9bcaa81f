import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { liveContainers } from '../check/isolated-runners.js';
import type { CheckReport } from '../check/report-types.js';
import { DaemonspecError } from '../errors.js';
import { checkArgv, deadlineFor } from './check-argv.js';
import { parseIsolatedReport } from './parse-report.js';
import { optionFiles } from './option-files.js';
import { CONTAINER_ROOT, DEFAULT_IMAGE } from './project.js';
import { packageRoot } from '../package-root.js';
import { runChild } from './run-child.js';
import { pid1Wrapper } from './subreaper.js';
import type { IsolatedCheck, IsolationBackend, Mount } from './types.js';

/** Every container a check starts carries this label: `docker ps -a --filter label=daemonspec.check`. */
export const CONTAINER_LABEL = 'daemonspec.check';

const SETUP_ENGINE = 'scripts/docker/setup-engine.sh';
const BUILD_IMAGE = 'scripts/docker/build-image.sh';

export interface DockerRunSpec {
  name: string;
  image: string;
  init: boolean;
  mounts: readonly Mount[];
  env: Readonly<Record<string, string>>;
  argv: readonly string[];
  /** Runs before node (a shell as PID 1, so the checker is not: subreaper.ts). */
  wrapper?: readonly string[];
}

/**
 * The `docker run` arguments of one check: no network, the project read-only at /daemonspec,
 * removed on exit. The test-run marker is passed in so a leaked process is still found.
 */
export function dockerRunArgs(spec: DockerRunSpec): string[] {
  const args = ['run', '--rm', '--name', spec.name, '--label', `${CONTAINER_LABEL}=1`, '--network', 'none'];
  if (spec.init) args.push('--init');
  args.push('-v', `${packageRoot()}:${CONTAINER_ROOT}:ro`);
  const dependencies = hoistedDependencies();
  if (dependencies !== null) args.push('-v', `${dependencies}:${CONTAINER_DEPENDENCIES}:ro`);
  for (const m of spec.mounts) args.push('-v', `${m.host}:${m.container}${m.readOnly ? ':ro' : ''}`);
  for (const [key, value] of Object.entries(spec.env)) args.push('-e', `${key}=${value}`);
  args.push('-w', '/', spec.image, ...(spec.wrapper ?? []), 'node', `${CONTAINER_ROOT}/bin/daemonspec.js`, ...spec.argv);
  return args;
}

/** Where a hoisted node_modules is mounted: Node looks there last from anywhere under /daemonspec. */
const CONTAINER_DEPENDENCIES = '/node_modules';

/**
 * The node_modules that holds daemonspec's dependencies when it is not inside the project: an
 * installed package (node_modules/daemonspec) has them beside it, in its parent, which the
 * project mount alone leaves out (the checker in the container then failed: koffi not found).
 * Null for a checkout, whose node_modules is inside the mount.
 */
function hoistedDependencies(): string | null {
  let koffi: string;
  try {
    koffi = createRequire(join(packageRoot(), 'package.json')).resolve('koffi');
  } catch {
    return null;
  }
  const at = koffi.lastIndexOf(`${sep}node_modules${sep}`);
  const dir = koffi.slice(0, at + `${sep}node_modules`.length);
  return at < 0 || dir.startsWith(`${packageRoot()}${sep}`) ? null : dir;
}

const ready = new Map<string, Promise<void>>();

/** Checks once per image that an engine answers and the image exists, with the fix when not. */
export function ensureDocker(image: string): Promise<void> {
  let probe = ready.get(image);
  if (!probe) {
    probe = probeDocker(image);
    ready.set(image, probe);
    probe.catch(() => ready.delete(image));
  }
  return probe;
}

async function probeDocker(image: string): Promise<void> {
  const info = await runChild('docker', ['info', '--format', '{{.ServerVersion}}'], { deadlineMs: 15_000 }).catch(
    (cause: NodeJS.ErrnoException) => {
      throw new DaemonspecError('EUNSUPPORTED', `docker isolation needs the docker command; install an engine with ${SETUP_ENGINE} (as root)`, {
        errno: cause.code,
        cause,
      });
    },
  );
  if (info.exitCode !== 0) {
    throw new DaemonspecError('EUNSUPPORTED', `no Docker engine answers; start one with ${SETUP_ENGINE} (as root)`, {
      detail: info.stderr.trim(),
    });
  }
  const found = await runChild('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { deadlineMs: 15_000 });
  if (found.exitCode !== 0) {
    throw new DaemonspecError(
      'EUNSUPPORTED',
      `the Docker image ${image} does not exist; build it with ${BUILD_IMAGE} ${image} (or, with a registry, docker build -t ${image} .), or name another with --image`,
    );
  }
}

/** Removes a container whatever state it is in; quiet when it is already gone. */
export async function removeContainer(name: string): Promise<void> {
  await runChild('docker', ['rm', '-f', name], { deadlineMs: 30_000 }).catch(() => undefined);
}

function markerEnv(): Record<string, string> {
  const marker = process.env.DAEMONSPEC_TEST_RUN;
  return marker === undefined ? {} : { DAEMONSPEC_TEST_RUN: marker };
}

/** A fresh container per check; `init` adds docker-init (tini) as PID 1 above the checker. */
export function dockerBackend(init: boolean): IsolationBackend {
  return {
    name: init ? 'docker-init' : 'docker',
    async run(check: IsolatedCheck): Promise<CheckReport> {
      const image = check.options?.image ?? DEFAULT_IMAGE;
      await ensureDocker(image);
      const files = optionFiles(check.options);
      const name = `daemonspec-check-${process.pid}-${randomBytes(4).toString('hex')}`;
      const mounts: Mount[] = [...(check.mounts ?? [])];
      if (files.dir) mounts.push({ host: files.dir, container: files.dir, readOnly: true });
      const args = dockerRunArgs({
        name,
        image,
        init,
        mounts,
        env: { ...markerEnv(), ...check.options?.env },
        argv: checkArgv(check.command, check.options, files),
        wrapper: init ? [] : pid1Wrapper(check.options?.caller),
      });
      let clean = false;
      liveContainers.add(name);
      try {
        const result = await runChild('docker', args, {
          deadlineMs: deadlineFor(check.options, check.deadlineMs),
          onTimeout: () => removeContainer(name),
        });
        clean = !result.timedOut && (result.exitCode === 0 || result.exitCode === 1);
        if (result.exitCode === 125) {
          throw new DaemonspecError('ECHECK', `docker could not start the check container (image ${image})`, {
            detail: result.stderr.trim(),
          });
        }
        return parseIsolatedReport(result, init ? 'docker-init' : 'docker', `a container (${image}${init ? ', --init' : ''})`);
      } finally {
        // --rm removes a container that exited; one left by a killed client or an engine error is removed here.
        if (!clean) await removeContainer(name);
        liveContainers.delete(name);
        files.dispose();
      }
    },
  };
}
