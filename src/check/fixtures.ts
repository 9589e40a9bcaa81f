import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DaemonspecError } from '../errors.js';
import { parseUmask } from './profiles.js';
import { type CheckOptions, RULE_IDS, type RuleId } from './report-types.js';

/** A rule a fixture's tool fails, and the honest reason (never fixed by loosening the rule). */
export interface Deviation {
  rule: RuleId;
  reason: string;
  /** Only under these isolations (default: all). */
  isolations?: string[];
}

/** `fixtures/<name>/manifest.json`: how to start a tool, what to expect, and where it deviates. */
export interface FixtureManifest {
  name: string;
  title: string;
  tool: string;
  command: string[];
  requires?: { commands?: string[]; probe?: string[] };
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
  };
  deviations: Deviation[];
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
  for (const d of m.deviations) {
    if (!(RULE_IDS as readonly string[]).includes(d?.rule)) throw bad(path, `unknown rule "${d?.rule}" in deviations; the rules are ${RULE_IDS.join(', ')}`);
    if (typeof d.reason !== 'string' || d.reason.trim() === '') throw bad(path, `deviation ${d.rule} needs a reason`);
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

/** Replaces {dir} {work} {pidfile} {stdout} {stderr} {node} {cli} in a string; any other {name} is left alone. */
export function fillPlaceholders(text: string, p: Placeholders): string {
  const values: Record<string, string> = {
    dir: p.dir,
    work: p.work,
    pidfile: join(p.work, 'daemon.pid'),
    stdout: join(p.work, 'out.log'),
    stderr: join(p.work, 'err.log'),
    node: p.node ?? process.execPath,
    cli: p.cli ?? resolve(new URL('../../bin/daemonspec.js', import.meta.url).pathname),
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
  return { command: manifest.command.map(fill), options };
}
