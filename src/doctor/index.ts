import { arch, release } from 'node:os';
import { probeKoffi } from './ffi.js';
import { probeDocker, probeUnshare } from './isolation.js';
import { probeCloseRange, probeSpawnChdir } from './libc-calls.js';
import { probeNofile } from './limits.js';
import { libcSummary, probeKernel, probeLibc, probeOs } from './platform.js';
import { probeRoot, probeSetpriv } from './privilege.js';
import { probeProcUmask } from './proc.js';
import { probeSubreaper } from './subreaper.js';
import { probePty } from './terminal.js';
import type { DoctorCheck, DoctorCheckId, DoctorOptions, DoctorReport, DoctorStatus } from './types.js';

export { formatDoctor, useColour } from './format.js';
export * from './types.js';

/**
 * The image the docker isolation uses unless told otherwise; kept equal to DEFAULT_IMAGE in
 * src/isolation/project.ts (scripts/docker/build-image.sh builds it).
 */
export const DEFAULT_DOCKER_IMAGE = process.env.DAEMONSPEC_IMAGE ?? 'daemonspec:local';

/**
 * Probes what this machine supports and what the checker can verify here. Never throws for a
 * missing capability: each one is a line with its status, meaning and fix.
 *
 * Note: briefly sets and clears PR_SET_CHILD_SUBREAPER on the calling process (Linux) unless
 * it is already set.
 *
 * @example
 * const report = await doctor();
 * if (report.checks.docker.status !== 'ok') console.log(report.checks.docker.fix);
 */
export async function doctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const image = options.image ?? DEFAULT_DOCKER_IMAGE;
  const [nofile, unshare, docker, pty] = await Promise.all([
    probeNofile(timeoutMs),
    probeUnshare(timeoutMs),
    probeDocker(image, timeoutMs),
    probePty(timeoutMs),
  ]);
  const list: DoctorCheck[] = [
    probeOs(),
    probeKernel(),
    probeLibc(),
    probeKoffi(),
    probeCloseRange(),
    probeSpawnChdir(),
    probeProcUmask(),
    probeSubreaper(),
    pty,
    nofile,
    probeRoot(),
    probeSetpriv(),
    unshare,
    docker.engine,
    docker.image,
  ];
  const checks = Object.fromEntries(list.map((check) => [check.id, check])) as Record<DoctorCheckId, DoctorCheck>;
  const summary: Record<DoctorStatus, number> = { ok: 0, warn: 0, missing: 0 };
  for (const check of list) summary[check.status] += 1;
  return {
    schemaVersion: 1,
    node: process.versions.node,
    platform: { os: process.platform, arch: arch(), kernel: release(), ...libcSummary() },
    checks,
    summary,
  };
}
