import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DaemonspecError } from '../errors.js';
import { cliPath } from '../package-root.js';
import { parseUmask } from './profiles.js';
import { type CheckOptions, LIFECYCLE_RULE_IDS, RULE_IDS, type RuleId, START_RULE_IDS, USER_RULE_IDS } from './report-types.js';

/** A rule a fixture's tool fails, and the honest reason (never fixed by loosening the rule). */
export interface Deviation {
  rule: RuleId;
  reason: string;
  /** Only under these isolations (default: all). */
  isolations?: string[];
}

/** `fixtures/<name>/manifest.json`: how to start a tool, what to expect, and where it deviates. */
/** Which table of the matrix a fixture is in: a daemonizing tool, or a real server daemon from a distribution package. */
export type FixtureKind = 'daemonizer' | 'real-daemon';
export const FIXTURE_KINDS: readonly FixtureKind[] = ['daemonizer', 'real-daemon'];

export interface FixtureManifest {
  name: string;
  title: string;
  tool: string;
  /** @default 'daemonizer' */
  kind?: FixtureKind;
  command: string[];
  /**
   * Run to completion before each check, on the host, outside the checker's traps: writes the
   * configuration into {work} (a free port, paths). Placeholders are filled with the host's
   * paths, so a fixture with a setup runs only where the checker sees them (host, namespace).
   */
  setup?: string[];
  /** isolations: the only isolations the fixture runs under (default: all). */
  requires?: { commands?: string[]; probe?: string[]; isolations?: string[] };
  /** False when the fixture is expected to leave no daemon (a start that fails). */
  startsDaemon?: boolean;
  check: {
    profile?: string;
    pidfile?: string;
    stdout?: string;
    stderr?: string;
    umask?: string;
    cwd?: string;
    readyLog?: string;
    expectLog?: string;
    allowIgnored?: string[];
    /** Seconds for the check's deadline. */
    timeout?: number;
    /** Also judge the life-cycle rules (`check --lifecycle`): second start, stop, stale pidfile. */
    lifecycle?: boolean;
    /** The tool's own stop command (`--stop-command`), placeholders filled; SIGTERM when absent. */
    stopCommand?: string;
    /** The user the tool drops to (`check --user`): judges the credential rules. */
    user?: string;
  };
  deviations: Deviation[];
  /**
   * State the tool chooses itself (a umask, signals it ignores or blocks, its own directory), which
   * the rules report as a note, not a failure: one entry per rule, with the reason from the
   * tool's source or documentation, like a deviation's.
   */
  notes?: Deviation[];
  /**
   * Rules whose verdict depends on scheduling (the command returns while the daemon is still
   * writing its pidfile): pass or fail, either is expected, and the table shows ≈ with the reason.
   */
  races?: Deviation[];
}

export interface LoadedFixture {
  manifest: FixtureManifest;
  /** The fixture's folder, absolute. */
  dir: string;
}

/** The values of a manifest's placeholders for one run, as the checker running it sees the paths. */
export interface Placeholders {
  /** The fixture folder (absolute). */
  dir: string;
  /** A fresh temporary directory for this run. */
  work: string;
  /** process.execPath by default. */
  node?: string;
  /** Absolute path of bin/daemonspec.js. */
  cli?: string;
}

function bad(path: string, message: string): DaemonspecError {
  return new DaemonspecError('EUSAGE', `fixture manifest ${path}: ${message}`, { path });
}

/** Reads and validates one manifest file. */
export function readManifest(path: string): FixtureManifest {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw bad(path, `not readable JSON (${(error as Error).message})`);
  }
  const m = value as Partial<FixtureManifest>;
  if (typeof m.name !== 'string' || typeof m.title !== 'string' || typeof m.tool !== 'string') throw bad(path, 'name, title and tool must be strings');
  if (!Array.isArray(m.command) || m.command.length === 0 || !m.command.every((a) => typeof a === 'string')) throw bad(path, 'command must be a non-empty array of strings');
  if (typeof m.check !== 'object' || m.check === null) throw bad(path, 'check must be an object');
  if (!Array.isArray(m.deviations)) throw bad(path, 'deviations must be an array (empty when the tool passes every rule)');
  if (m.notes !== undefined && !Array.isArray(m.notes)) throw bad(path, 'notes must be an array of { rule, reason } (the state the tool chooses itself)');
  if (m.races !== undefined && !Array.isArray(m.races)) throw bad(path, 'races must be an array of { rule, reason } (verdicts that change from run to run)');
  if (m.kind !== undefined && !FIXTURE_KINDS.includes(m.kind)) throw bad(path, `kind must be one of ${FIXTURE_KINDS.join(', ')}`);
  if (m.setup !== undefined && (!Array.isArray(m.setup) || m.setup.length === 0 || !m.setup.every((a) => typeof a === 'string'))) {
    throw bad(path, 'setup must be a non-empty array of strings (a command run before each check)');
  }
  const c = m.check as Partial<FixtureManifest['check']>;
  if (c.lifecycle !== undefined && typeof c.lifecycle !== 'boolean') throw bad(path, 'check.lifecycle must be true or false');
  if (c.lifecycle === true && c.pidfile === undefined) throw bad(path, 'check.lifecycle needs check.pidfile (the life-cycle rules read it)');
  for (const key of ['stopCommand', 'user'] as const) {
    if (c[key] !== undefined && (typeof c[key] !== 'string' || c[key] === '')) throw bad(path, `check.${key} must be a non-empty string`);
  }
  for (const d of m.races ?? []) {
    if (m.deviations.some((x) => x.rule === d?.rule)) throw bad(path, `rule ${d.rule} is both a deviation and a race: keep one`);
  }
  for (const [field, list] of [['deviations', m.deviations], ['notes', m.notes ?? []], ['races', m.races ?? []]] as const) {
    for (const d of list) {
      if (!(RULE_IDS as readonly string[]).includes(d?.rule)) throw bad(path, `unknown rule "${d?.rule}" in ${field}; the rules are ${RULE_IDS.join(', ')}`);
      if (typeof d.reason !== 'string' || d.reason.trim() === '') throw bad(path, `${field} entry ${d.rule} needs a reason`);
    }
  }
  return m as FixtureManifest;
}

/** Reads and validates `<fixtureDir>/manifest.json`. */
export function loadManifest(fixtureDir: string): FixtureManifest {
  return readManifest(join(resolve(fixtureDir), 'manifest.json'));
}

/** Every fixture folder with a manifest under `root`. */
export function listFixtures(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, 'manifest.json')))
    .map((e) => join(resolve(root), e.name))
    .sort();
}

/** Every fixture under `root`, sorted by name; `only` restricts to those names (an unknown name throws). */
export function loadFixtures(root: string, only?: readonly string[]): LoadedFixture[] {
  const dirs = listFixtures(root);
  const names = dirs.map((dir) => basename(dir));
  const unknown = (only ?? []).filter((n) => !names.includes(n));
  if (unknown.length > 0) {
    throw new DaemonspecError('EUSAGE', `no fixture named ${unknown.join(', ')}; the fixtures are: ${names.join(', ')}`);
  }
  return dirs.filter((dir) => !only || only.includes(basename(dir))).map((dir) => ({ manifest: loadManifest(dir), dir }));
}

/** The deviations that apply under one isolation. */
export function deviationsFor(manifest: FixtureManifest, isolation: string): Deviation[] {
  return manifest.deviations.filter((d) => !d.isolations || d.isolations.includes(isolation));
}

/** The notes (chosen state) that apply under one isolation. */
export function notesFor(manifest: FixtureManifest, isolation: string): Deviation[] {
  return (manifest.notes ?? []).filter((d) => !d.isolations || d.isolations.includes(isolation));
}

/** The races (verdicts that change from run to run) that apply under one isolation. */
export function racesFor(manifest: FixtureManifest, isolation: string): Deviation[] {
  return (manifest.races ?? []).filter((d) => !d.isolations || d.isolations.includes(isolation));
}

/** The rules a fixture's checks judge: every start rule, plus the life-cycle and credential rules it asks for. */
export function judgedRules(manifest: FixtureManifest): RuleId[] {
  return [...START_RULE_IDS, ...(manifest.check.lifecycle === true ? LIFECYCLE_RULE_IDS : []), ...(manifest.check.user !== undefined ? USER_RULE_IDS : [])];
}

/** The manifest's kind (daemonizer when not given). */
export function kindOf(manifest: FixtureManifest): FixtureKind {
  return manifest.kind ?? 'daemonizer';
}

/** Replaces {dir} {work} {pidfile} {stdout} {stderr} {node} {cli} in a string; any other {name} is left alone. */
export function fillPlaceholders(text: string, p: Placeholders): string {
  const values: Record<string, string> = {
    dir: p.dir,
    work: p.work,
    pidfile: join(p.work, 'daemon.pid'),
    stdout: join(p.work, 'out.log'),
    stderr: join(p.work, 'err.log'),
    node: p.node ?? process.execPath,
    cli: p.cli ?? cliPath(),
  };
  return text.replace(/\{(dir|work|pidfile|stdout|stderr|node|cli)\}/g, (_, key: string) => values[key]!);
}

/** The command and CheckOptions of a manifest for one run, placeholders filled. */
export function manifestCheck(manifest: FixtureManifest, p: Placeholders): { command: string[]; options: CheckOptions } {
  const fill = (s: string): string => fillPlaceholders(s, p);
  const c = manifest.check;
  const options: CheckOptions = {};
  if (c.profile !== undefined) options.profile = c.profile;
  for (const key of ['pidfile', 'stdout', 'stderr', 'cwd', 'readyLog', 'expectLog'] as const) {
    if (c[key] !== undefined) options[key] = key === 'readyLog' || key === 'expectLog' ? c[key] : fill(c[key]!);
  }
  if (c.umask !== undefined) options.umask = parseUmask(c.umask, `${manifest.name}: check.umask`);
  if (c.allowIgnored !== undefined) options.allowIgnored = [...c.allowIgnored];
  if (c.timeout !== undefined) options.timeoutMs = c.timeout * 1000;
  if (c.lifecycle === true) options.lifecycle = true;
  if (c.stopCommand !== undefined) options.stopCommand = fill(c.stopCommand);
  if (c.user !== undefined) options.user = c.user;
  return { command: manifest.command.map(fill), options };
}
