/**
 * The "time to a ready daemon" cases: daemonspec, its peers and the floors, each as a command
 * that starts the same trivial workload (a daemon that writes its pidfile and sleeps).
 * Ready = the original process has exited AND the pidfile names a live process.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { livePid } from './processes.mjs';
import { buildMissing, CLI, root } from './paths.mjs';

const workloads = join(root, 'scripts/bench/workloads');
const PY = '/usr/bin/python3';
const SLEEP = '/bin/sleep';
/** setsid(2) syscall numbers, for the perl floor; an architecture not listed has none. @type {Partial<Record<NodeJS.Architecture, number>>} */
const SETSID_NRS = { x64: 112, arm64: 157, ia32: 66, arm: 66 };
const SETSID_NR = SETSID_NRS[process.arch];

/**
 * One "time to a ready daemon" case. `daemon: false` cases are floors that start no daemon: ready
 * as soon as they exit (and, with `writesPidfile`, once the pidfile holds a pid).
 * `ready(pidfile, work)`, when given, replaces the pidfile test (the seed has no pidfile).
 * @typedef {{ name: string, title: string, kind: 'daemonspec'|'peer'|'floor', skip: string|null,
 *   argv: (pidfile: string, work: string) => string[], daemon: boolean, note?: string,
 *   writesPidfile?: boolean, ready?: (pidfile: string, work: string) => boolean }} ReadyCase
 */

/** @param {string} path */
function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** @param {...string} paths */
function needs(...paths) {
  const missing = paths.filter((p) => !executable(p));
  return missing.length ? `not installed: ${missing.join(', ')}` : null;
}

/** Why daemonspec's daemonize() cannot run yet (null when it can). */
function daemonizeMissing() {
  return buildMissing();
}

/** Why `daemonspec run` cannot run yet (null when it can). */
function runCliMissing() {
  const help = spawnSync(process.execPath, [CLI, 'run', '--help'], { encoding: 'utf8' });
  if (help.status !== 0 || !/--pidfile/.test(help.stdout)) return '`daemonspec run` is not implemented yet';
  return null;
}

function pythonDaemonMissing() {
  const missing = needs(PY);
  if (missing) return missing;
  return spawnSync(PY, ['-c', 'import daemon'], { stdio: 'ignore' }).status === 0 ? null : 'python3-daemon not importable';
}

/**
 * The pid in the first line of a log matching `regex` (a `pid=N` or the first number), if alive.
 * @param {string} file
 * @param {RegExp} regex
 */
function livePidFromLog(file, regex) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const line = text.split('\n').find((l) => regex.test(l));
  const pid = Number(/pid=(\d+)/.exec(line ?? '')?.[1] ?? /(\d+)/.exec(line ?? '')?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * The seed command: fixtures/seed/ when it has landed (it has no pidfile: ready is its
 * `readyLog` line in the stdout log), else the fallback here (which writes a pidfile).
 * @param {string} pidfile
 * @param {string} work
 * @returns {{ argv: string[], source: string, ready: (() => boolean) | null }}
 */
function seedCommand(pidfile, work) {
  const manifestPath = join(root, 'fixtures/seed/manifest.json');
  if (existsSync(manifestPath)) {
    try {
      /** @type {{ command: string[], check?: { readyLog?: string } }} */
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      const stdout = join(work, 'out.log');
      /** @param {string} a */
      const fill = (a) =>
        a
          .replaceAll('{dir}', join(root, 'fixtures/seed'))
          .replaceAll('{work}', work)
          .replaceAll('{pidfile}', pidfile)
          .replaceAll('{stdout}', stdout)
          .replaceAll('{stderr}', join(work, 'err.log'))
          .replaceAll('{node}', process.execPath)
          .replaceAll('{cli}', CLI);
      const argv = manifest.command.map(fill);
      if (manifest.command.some((a) => a.includes('{pidfile}'))) return { argv, source: 'fixtures/seed', ready: null };
      if (manifest.check?.readyLog && manifest.command.some((a) => a.includes('{stdout}'))) {
        const regex = new RegExp(manifest.check.readyLog, 'm');
        return { argv, source: 'fixtures/seed (ready = its ready line in the stdout log)', ready: () => livePidFromLog(stdout, regex) !== null };
      }
    } catch {
      // unreadable manifest: use the fallback
    }
  }
  return { argv: [PY, join(workloads, 'seed-steps.py'), pidfile], source: 'scripts/bench/workloads/seed-steps.py', ready: null };
}

/** @returns {ReadyCase[]} every case, skipped ones included (see ReadyCase). */
export function readyCases() {
  const node = process.execPath;
  /** @type {(limit: number) => ReadyCase['argv']} */
  const seedAt = (limit) => (pidfile, work) => ['/usr/bin/prlimit', `--nofile=${limit}:${limit}`, '--', ...seedCommand(pidfile, work).argv];
  /** @type {NonNullable<ReadyCase['ready']>} */
  const seedReady = (pidfile, work) => seedCommand(pidfile, work).ready?.() ?? livePid(pidfile) !== null;
  return [
    { name: 'daemonize()', title: 'daemonspec daemonize() in a Node script', kind: 'daemonspec', daemon: true,
      skip: daemonizeMissing(), argv: (p) => [node, join(workloads, 'node-idle.mjs'), 'daemonize', p] },
    { name: 'daemonspec run', title: 'daemonspec run --pidfile F -- /bin/sleep 60', kind: 'daemonspec', daemon: true,
      skip: runCliMissing(), argv: (p) => [node, CLI, 'run', '--pidfile', p, '--', SLEEP, '60'] },
    { name: 'seed (python) @1024', title: 'the seed article\'s algorithm (Crispim 2013) in Python, RLIMIT_NOFILE 1024', kind: 'peer', daemon: true,
      skip: needs(PY, '/usr/bin/prlimit'), argv: seedAt(1024), ready: seedReady, note: `from ${seedCommand('F', 'W').source}` },
    { name: 'seed (python) @20000', title: 'the seed article\'s algorithm (Crispim 2013) in Python, RLIMIT_NOFILE 20000 (hard limit)', kind: 'peer', daemon: true,
      skip: needs(PY, '/usr/bin/prlimit'), argv: seedAt(20000), ready: seedReady },
    { name: 'python-daemon', title: 'python-daemon DaemonContext', kind: 'peer', daemon: true,
      skip: pythonDaemonMissing(), argv: (p) => [PY, join(workloads, 'python-daemon.py'), p] },
    { name: 'start-stop-daemon', title: 'start-stop-daemon --background --make-pidfile', kind: 'peer', daemon: true,
      skip: needs('/usr/sbin/start-stop-daemon'),
      argv: (p) => ['/usr/sbin/start-stop-daemon', '--start', '--background', '--make-pidfile', '--pidfile', p, '--exec', SLEEP, '--', '60'] },
    { name: 'daemonize (bmc)', title: 'Debian daemonize -p F', kind: 'peer', daemon: true,
      skip: needs('/usr/bin/daemonize'), argv: (p) => ['/usr/bin/daemonize', '-p', p, SLEEP, '60'] },
    { name: 'daemon (libslack)', title: 'libslack daemon --pidfile=F', kind: 'peer', daemon: true,
      skip: needs('/usr/bin/daemon'), argv: (p) => ['/usr/bin/daemon', `--pidfile=${p}`, '--', SLEEP, '60'],
      note: 'stays as a supervisor; the pidfile names it, not sleep' },
    { name: 'setsid --fork', title: 'util-linux setsid --fork (sh writes the pidfile)', kind: 'peer', daemon: true,
      skip: needs('/usr/bin/setsid'),
      argv: (p) => ['/usr/bin/setsid', '--fork', '/bin/sh', '-c', 'echo $$ > "$1"; exec /bin/sleep 60', 'sh', p],
      note: 'includes a dash start to write the pidfile' },
    { name: 'npm daemon', title: 'npm daemon 1.1 (re-spawns Node detached)', kind: 'peer', daemon: true,
      skip: existsSync(join(root, 'node_modules/daemon')) ? null : 'node_modules/daemon missing (npm ci)',
      argv: (p) => [node, join(workloads, 'npm-daemon.cjs'), p] },
    { name: 'floor: fork/setsid/fork/exec', title: 'perl: fork, setsid (raw syscall), fork, write pidfile, exec sleep', kind: 'floor', daemon: true,
      skip: needs('/usr/bin/perl') ?? (SETSID_NR ? null : `no setsid syscall number known for ${process.arch}`),
      // setsid by syscall number: `use POSIX` alone costs perl ~20 ms, more than the work measured.
      argv: (p) => ['/usr/bin/perl', '-e',
        `exit 0 if fork; syscall(${SETSID_NR}) >= 0 or die "setsid: $!"; exit 0 if fork; open(my $f, ">", $ARGV[0]) or die "$ARGV[0]: $!"; print $f "$$\\n"; close $f; exec "/bin/sleep", "60"`, p] },
    { name: 'floor: node script (plain)', title: 'the same Node script run plainly to the same point (imports daemonspec, writes the pidfile, exits)', kind: 'floor', daemon: false, writesPidfile: true,
      skip: daemonizeMissing(), argv: (p) => [node, join(workloads, 'node-idle.mjs'), 'plain-exit', p] },
    { name: 'floor: node -e 0', title: 'node -e 0 (the cost of any Node process)', kind: 'floor', daemon: false,
      skip: null, argv: () => [node, '-e', '0'] },
    { name: 'floor: /bin/sleep 0', title: "/bin/sleep 0 (the target program's own start)", kind: 'floor', daemon: false,
      skip: null, argv: () => [SLEEP, '0'] },
  ];
}
