import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DaemonspecError } from '../errors.js';
import { parseUmask } from './profiles.js';
import { type CheckOptions, RULE_IDS, type RuleId } from './report-types.js';

/** `fixtures/<name>/manifest.json` (the shared contract in the team brief). */
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
  };
  deviations: { rule: RuleId; reason: string }[];
}

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

/** Reads and validates a manifest. */
export function loadManifest(fixtureDir: string): FixtureManifest {
  const path = join(resolve(fixtureDir), 'manifest.json');
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw bad(path, (error as Error).message);
  }
  const m = value as Partial<FixtureManifest>;
  if (typeof m.name !== 'string' || typeof m.title !== 'string' || typeof m.tool !== 'string') throw bad(path, 'name, title and tool must be strings');
  if (!Array.isArray(m.command) || m.command.length === 0 || !m.command.every((a) => typeof a === 'string')) throw bad(path, 'command must be a non-empty array of strings');
  if (typeof m.check !== 'object' || m.check === null) throw bad(path, 'check must be an object');
  if (!Array.isArray(m.deviations)) throw bad(path, 'deviations must be an array');
  for (const d of m.deviations) {
    if (!(RULE_IDS as readonly string[]).includes(d.rule)) throw bad(path, `unknown rule "${d.rule}" in deviations`);
    if (typeof d.reason !== 'string' || d.reason === '') throw bad(path, `deviation ${d.rule} needs a reason`);
  }
  return m as FixtureManifest;
}

/** Every fixture folder with a manifest under `root`. */
export function listFixtures(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, 'manifest.json')))
    .map((e) => join(resolve(root), e.name))
    .sort();
}

/** Replaces {dir} {work} {pidfile} {stdout} {stderr} {node} {cli} in a string. */
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

/** The command and CheckOptions of a manifest for one run. */
export function manifestCheck(manifest: FixtureManifest, p: Placeholders): { command: string[]; options: CheckOptions } {
  const fill = (s: string): string => fillPlaceholders(s, p);
  const c = manifest.check;
  const options: CheckOptions = {};
  if (c.profile !== undefined) options.profile = c.profile;
  for (const key of ['pidfile', 'stdout', 'stderr', 'cwd', 'readyLog', 'expectLog'] as const) {
    if (c[key] !== undefined) options[key] = key === 'readyLog' || key === 'expectLog' ? c[key] : fill(c[key]!);
  }
  if (c.umask !== undefined) options.umask = parseUmask(c.umask, `${manifest.name}: check.umask`);
  if (c.allowIgnored !== undefined) options.allowIgnored = c.allowIgnored;
  return { command: manifest.command.map(fill), options };
}
