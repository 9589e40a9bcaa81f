import { findOnPath } from './privilege.js';
import { firstLine, runCommand } from './run-command.js';
import type { DoctorCheck } from './types.js';

/** The namespace isolation runs each check in a fresh PID and mount namespace (`unshare`). */
export async function probeUnshare(timeoutMs: number): Promise<DoctorCheck> {
  const base = { id: 'unshare' as const, title: 'PID namespaces (unshare --pid --fork --mount-proc)' };
  if (process.platform !== 'linux') {
    return { ...base, status: 'warn', value: null, meaning: 'Namespaces are Linux-only: --isolation namespace is not available.', fix: 'Use --isolation host, or docker on a Linux machine.' };
  }
  const unshare = findOnPath('unshare');
  if (!unshare) {
    return { ...base, status: 'missing', value: null, meaning: 'unshare is not installed: --isolation namespace is not available.', fix: 'apt-get install util-linux' };
  }
  const outcome = await runCommand(unshare, ['--pid', '--fork', '--mount-proc', 'true'], timeoutMs);
  const ok = outcome.code === 0;
  return {
    ...base,
    status: ok ? 'ok' : 'missing',
    value: ok,
    meaning: ok
      ? '--isolation namespace works: each check runs under a PID 1 of its own.'
      : `unshare failed (${firstLine(outcome.stderr) || outcome.startError || `exit ${outcome.code}`}): --isolation namespace is not available.`,
    fix: ok ? null : 'Run as root (or enable unprivileged user namespaces: sysctl kernel.unprivileged_userns_clone=1); in docker add --privileged or --cap-add SYS_ADMIN.',
  };
}

export interface DockerProbe {
  engine: DoctorCheck;
  image: DoctorCheck;
}

/** The docker isolation needs a reachable engine and the project's image. */
export async function probeDocker(image: string, timeoutMs: number): Promise<DockerProbe> {
  const engineBase = { id: 'docker' as const, title: 'Docker engine' };
  const imageBase = { id: 'docker-image' as const, title: `Docker image "${image}"` };
  const noImage = (why: string): DoctorCheck => ({
    ...imageBase,
    status: 'missing',
    value: null,
    meaning: `Cannot look for the image: ${why}.`,
    fix: 'Start the engine first (see the docker line).',
  });
  const info = await runCommand('docker', ['info', '--format', '{{.ServerVersion}}'], timeoutMs);
  if (info.startError) {
    const engine: DoctorCheck = {
      ...engineBase,
      status: 'missing',
      value: null,
      meaning: 'The docker CLI is not installed: --isolation docker is not available.',
      fix: 'sudo bash scripts/docker/setup-engine.sh installs docker.io and starts the engine (docs/docker.md).',
    };
    return { engine, image: noImage('no docker CLI') };
  }
  if (info.code !== 0 || info.timedOut) {
    const why = info.timedOut ? `no answer within ${timeoutMs} ms` : firstLine(info.stderr) || `exit ${info.code}`;
    const engine: DoctorCheck = {
      ...engineBase,
      status: 'missing',
      value: null,
      meaning: `The docker engine is not reachable (${why}): --isolation docker is not available.`,
      fix: 'Start it: sudo bash scripts/docker/setup-engine.sh (or systemctl start docker), or set DOCKER_HOST (docs/docker.md).',
    };
    return { engine, image: noImage('the engine is not reachable') };
  }
  const engine: DoctorCheck = {
    ...engineBase,
    status: 'ok',
    value: info.stdout.trim(),
    meaning: 'The docker engine answers: --isolation docker can start containers.',
    fix: null,
  };
  const inspect = await runCommand('docker', ['image', 'inspect', '--format', '{{.Id}}', image], timeoutMs);
  const present = inspect.code === 0;
  return {
    engine,
    image: {
      ...imageBase,
      status: present ? 'ok' : 'missing',
      value: present ? inspect.stdout.trim() : null,
      meaning: present
        ? `--isolation docker --image ${image} can run checks.`
        : `The image "${image}" is not built: --isolation docker fails until it is.`,
      fix: present
        ? null
        : `Build it: bash scripts/docker/build-image.sh ${image} (no registry needed), or docker build -t ${image} . (docs/docker.md).`,
    },
  };
}
