import { chmodSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DaemonspecError } from '../errors.js';
import { closeQuietly, eventfdOrNull, pipe } from '../ffi/libc.js';
import { bindDatagram } from '../ffi/socket.js';
import { eventfdIdOf } from '../inspect/processes.js';
import { fdLayout, ownOpenFileLimits } from './fd-layout.js';
import type { CallerSpec, ExtraFd, StdioKind } from './caller-spec.js';
import type { LaunchShape } from './launcher.js';
import { lift, trapIdentity, type TrapObject, type Traps } from './traps.js';

/**
 * Plants a CallerSpec (`check --caller-json`, `daemonspec fuzz`) in the launcher: the cheapest
 * way for each property. Extra fds are handed over by posix_spawn like the fixed traps; fds 0-2
 * are redirected for the command only by the launcher shell; signals are blocked and ignored by
 * GNU env (`--block-signal`, `--ignore-signal`) right before the command, which then has
 * exactly that state whatever the shell does with its own; the session leader is `setsid`
 * (util-linux, which does not fork from a process that is no group leader); the soft fd limit
 * is `ulimit -Sn`; the cwd is made in the run's directory.
 */
export interface PlantedSpec {
  traps: Traps;
  /** Where the checker's own fds opened after this go: above every fd the caller is given (and the staging ones). */
  checkerFrom: number;
  shape: LaunchShape;
  /** The argv put before the command (env, setsid). */
  prefix: string[];
  env: Record<string, string>;
  /** The directory the launcher is spawned in. */
  spawnCwd: string;
  /** The cwd as /proc shows it for the command (a deleted one ends in " (deleted)"). */
  callerCwd: string;
  /** Run once the launcher is spawned (removes a `deleted` cwd). */
  afterSpawn(): void;
  /** Closes the checker's ends of the planted pipes (at the end of the run; idempotent). */
  dispose(): void;
}

const ENV_PAD = 'DAEMONSPEC_CALLER_PAD';
const DEEP = { levels: 60, name: 'd'.repeat(40) };

function findTool(name: string): string {
  for (const dir of ['/usr/bin', '/bin', '/usr/local/bin']) if (existsSync(join(dir, name))) return join(dir, name);
  throw new DaemonspecError('EUNSUPPORTED', `the caller needs ${name} (GNU coreutils env, util-linux setsid): install it`);
}

interface Held {
  objects: TrapObject[];
  handOver: { from: number; to: number }[];
  /** The copies handed over (closed once the launcher is spawned). */
  keep: number[];
  /** The checker's ends of planted pipes: held open for the whole run, as a caller reading `$(cmd)` does. */
  mine: number[];
}

/** Opens one planted object; returns the fd to hand over (the checker keeps the rest). */
function openObject(kind: Exclude<ExtraFd['kind'], 'tty'> | 'stdin-pipe', at: number, work: string, held: Held, liftFrom: number): void {
  let give: number;
  let object: TrapObject;
  if (kind === 'pipe' || kind === 'stdin-pipe') {
    const [r, w] = pipe();
    const [mine, theirs] = kind === 'pipe' ? [r, w] : [w, r];
    give = lift(theirs, liftFrom);
    held.mine.push(lift(mine, liftFrom));
    object = trapIdentity(give, 'pipe', at);
  } else if (kind === 'file') {
    const path = join(work, `caller-fd-${at}`);
    writeFileSync(path, 'daemonspec: a file the caller held open\n');
    give = lift(openSync(path, 'r+'), liftFrom);
    object = trapIdentity(give, 'file', at);
  } else if (kind === 'socket') {
    give = lift(bindDatagram(join(work, `s${at}`)), liftFrom);
    object = trapIdentity(give, 'socket', at);
  } else {
    const fd = eventfdOrNull();
    if (fd === null) return; // no eventfd here: the caller simply lacks it
    give = lift(fd, liftFrom);
    // The eventfd's id (Linux ≥ 6.1) stands in for the inode they all share; 0: unknown, matched by number.
    object = { kind: 'eventfd', fd: at, device: 0, inode: eventfdIdOf(process.pid, give) ?? 0, target: 'anon_inode:[eventfd]' };
  }
  held.handOver.push({ from: give, to: at });
  held.keep.push(give);
  held.objects.push(object);
}

function quote(path: string): string {
  return `'${path.replace(/'/g, `'\\''`)}'`;
}

/** fds 0-2: the redirections for the command, and what must be handed over first (pipes, at staging numbers). */
function plantStdio(stdio: readonly StdioKind[], staging: number[], work: string, held: Held, liftFrom: number): string {
  const parts: string[] = [];
  stdio.forEach((kind, n) => {
    if (kind === 'closed') parts.push(`${n}<&-`);
    else if (kind === 'devnull') parts.push(`${n}<>/dev/null`);
    else if (kind === 'file') {
      const path = join(work, `caller-stdio-${n}`);
      writeFileSync(path, '');
      parts.push(`${n}<>${quote(path)}`);
      const st = statSync(path);
      held.objects.push({ kind: 'file', fd: n, device: st.dev, inode: st.ino, target: path });
    } else if (kind === 'pipe') {
      const at = staging.shift()!;
      openObject(n === 0 ? 'stdin-pipe' : 'pipe', at, work, held, liftFrom);
      held.objects[held.objects.length - 1]!.fd = n;
      parts.push(`${n}${n === 0 ? '<' : '>'}&${at}`, `${at}<&-`);
    }
  });
  return parts.join(' ');
}

function plantCwd(spec: CallerSpec, work: string, here: string): { spawnCwd: string; callerCwd: string; afterSpawn(): void } {
  const none = (): void => undefined;
  if (spec.cwd === 'here') return { spawnCwd: here, callerCwd: here, afterSpawn: none };
  if (spec.cwd === 'deep') {
    const dir = join(work, ...Array.from({ length: DEEP.levels }, () => DEEP.name));
    mkdirSync(dir, { recursive: true });
    return { spawnCwd: dir, callerCwd: dir, afterSpawn: none };
  }
  const dir = join(work, spec.cwd === 'deleted' ? 'caller-gone' : 'caller-unreadable');
  mkdirSync(dir);
  if (spec.cwd === 'unreadable') {
    chmodSync(dir, 0o311);
    return { spawnCwd: dir, callerCwd: dir, afterSpawn: none };
  }
  return { spawnCwd: dir, callerCwd: `${dir} (deleted)`, afterSpawn: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Everything a CallerSpec needs before the launch; `here` is the cwd `check` would use. `notifyFd`
 * (`--notify-fd`), handed over after the caller's fds, is kept out of their numbers and of the
 * spare ones piped stdio is parked on (the launcher's redirections would move it).
 */
export function plantCaller(spec: CallerSpec, work: string, here: string, notifyFd: number | null = null): PlantedSpec {
  const shipped = spec.fds.filter((f) => !f.cloexec); // FD_CLOEXEC ones are closed by the exec of the command
  if (notifyFd !== null && spec.fds.some((f) => f.fd === notifyFd)) {
    throw new DaemonspecError('EUSAGE', `the caller fd ${notifyFd} is the --notify-fd: give them different numbers`, { refused: true });
  }
  const taken = new Set([...shipped.map((f) => f.fd), ...(notifyFd === null ? [] : [notifyFd])]);
  const staging: number[] = [];
  for (let n = 3; staging.length < 3; n++) if (!taken.has(n)) staging.push(n);
  const liftFrom = Math.max(fdLayout().checkerFrom, ...shipped.map((f) => f.fd + 1), ...staging.map((n) => n + 1));
  const limit = ownOpenFileLimits().soft;
  if (liftFrom >= limit) {
    throw new DaemonspecError('EUSAGE', `caller fd ${liftFrom - 1} is above this process's fd limit (${limit}); use a lower fd number`);
  }
  const held: Held = { objects: [], handOver: [], keep: [], mine: [] };
  let redirections: string;
  try {
    for (const f of shipped) if (f.kind !== 'tty') openObject(f.kind, f.fd, work, held, liftFrom);
    redirections = plantStdio(spec.stdio, staging, work, held, liftFrom);
  } catch (error) {
    for (const fd of [...held.keep, ...held.mine]) closeQuietly(fd);
    throw error;
  }
  const prefix: string[] = [];
  if (spec.blocked.length + spec.ignored.length > 0) {
    prefix.push(findTool('env'));
    if (spec.blocked.length > 0) prefix.push(`--block-signal=${spec.blocked.join(',')}`);
    if (spec.ignored.length > 0) prefix.push(`--ignore-signal=${spec.ignored.join(',')}`);
    prefix.push('--');
  }
  if (spec.sessionLeader) prefix.push(findTool('setsid'));
  const noTty = spec.terminal === 'none';
  let open = true;
  return {
    checkerFrom: liftFrom,
    traps: {
      objects: held.objects,
      handOver: held.handOver,
      release() {
        if (!open) return;
        open = false;
        for (const fd of held.keep) closeQuietly(fd);
      },
    },
    shape: {
      nofile: spec.nofile,
      jobControl: !noTty && !spec.sessionLeader,
      background: spec.terminal === 'background',
      redirections,
      noControllingTty: noTty,
      ttyFds: shipped.filter((f) => f.kind === 'tty').map((f) => f.fd),
    },
    prefix,
    env: spec.envBytes > 0 ? { [ENV_PAD]: 'x'.repeat(spec.envBytes) } : {},
    dispose() {
      for (const fd of held.mine.splice(0)) closeQuietly(fd);
    },
    ...plantCwd(spec, work, here),
  };
}
