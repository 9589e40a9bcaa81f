import { realpathSync, statSync } from 'node:fs';
import type { PlantedCaller } from './caller.js';
import { chooseCallerCwd } from './caller-cwd.js';
import { fdLayout } from './fd-layout.js';
import { plantCaller } from './caller-plant.js';
import type { CallerSpec } from './caller-spec.js';
import type { Launcher, LaunchShape } from './launcher.js';
import type { ResolvedProfile } from './profiles.js';
import { planTraps } from './trap-pools.js';
import { createTraps, type Traps } from './traps.js';

/**
 * The caller of one run, ready to launch: the seeded fixed traps (trap-pools.ts), or a
 * CallerSpec given by `check --caller-json` or drawn by `daemonspec fuzz` (caller-plant.ts).
 */
export interface PreparedCaller {
  caller: PlantedCaller;
  /** Where the checker's fds opened after the caller go (readiness channels): above every fd the caller is given. */
  checkerFrom: number;
  /** A note for the report (relative arguments run from a trap directory), or null. */
  note: string | null;
  traps: Traps;
  /** Wrapper argv before the command (env, setsid); empty for the fixed traps. */
  prefix: string[];
  env: Record<string, string>;
  spawnCwd: string;
  /** Signals the launcher itself blocks / ignores (the fixed traps; a spec's go through env). */
  launcherBlocked: number[];
  launcherIgnored: number[];
  shape: LaunchShape | undefined;
  /** Whether the planted blocked set reaches the command whatever the shell (env sets it, or bash keeps it). */
  maskReliable: (launcher: Launcher) => boolean;
  /** After the spawn: completes the caller (a deleted cwd removed, the terminal's identity for tty fds). */
  afterSpawn(launcher: Launcher): void;
  /** At the end of the run: closes what the checker held for the caller (pipe ends). */
  dispose(): void;
}

export function prepareCaller(request: { command: string[]; profile: ResolvedProfile; seed: string; caller?: CallerSpec | undefined; notifyFd?: number | null }, work: string): PreparedCaller {
  const layout = fdLayout(); // refused under too low a limit, before anything is made
  const plan = planTraps(request.seed, undefined, layout.trapMax);
  const where = chooseCallerCwd({ command: request.command, expected: request.profile.expect.cwd, work: realpathSync(work), trapName: plan.cwdName });
  const spec = request.caller;
  if (spec === undefined) {
    const traps = createTraps(work, plan.fdNumbers, layout.checkerFrom);
    const { seed, blockedSignals, ignoredSignals, umask } = plan;
    return {
      caller: { seed, blockedSignals, ignoredSignals, umask, cwd: where.cwd, cwdOrigin: where.origin, fds: traps.objects },
      checkerFrom: layout.checkerFrom,
      note: where.note,
      traps,
      prefix: [],
      env: {},
      spawnCwd: where.cwd,
      launcherBlocked: blockedSignals,
      launcherIgnored: ignoredSignals,
      shape: undefined,
      maskReliable: (launcher) => launcher.shellKeepsMask,
      afterSpawn: () => undefined,
      dispose: () => undefined,
    };
  }
  const planted = plantCaller(spec, realpathSync(work), where.cwd, request.notifyFd ?? null);
  const caller: PlantedCaller = {
    seed: request.seed,
    blockedSignals: [...spec.blocked].sort((a, b) => a - b),
    ignoredSignals: [...spec.ignored].sort((a, b) => a - b),
    umask: spec.umask,
    cwd: planted.callerCwd,
    cwdOrigin: spec.cwd === 'here' ? where.origin : 'trap',
    fds: planted.traps.objects,
    spec,
  };
  return {
    caller,
    checkerFrom: planted.checkerFrom,
    note: spec.cwd === 'here' ? where.note : null,
    traps: planted.traps,
    prefix: planted.prefix,
    env: planted.env,
    spawnCwd: planted.spawnCwd,
    launcherBlocked: [],
    launcherIgnored: [],
    shape: planted.shape,
    maskReliable: () => true,
    afterSpawn(launcher) {
      planted.afterSpawn();
      if (planted.shape.ttyFds.length === 0) return;
      const st = statSync(launcher.slavePath);
      for (const fd of planted.shape.ttyFds) caller.fds.push({ kind: 'tty', fd, device: st.dev, inode: st.ino, target: launcher.slavePath });
    },
    dispose: () => planted.dispose(),
  };
}
