import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleId } from '../check/report-types.js';
import { DaemonspecError } from '../errors.js';

/** A rule a fixture's tool fails, and the honest reason (never fixed by loosening the rule). */
export interface Deviation {
  rule: RuleId;
  reason: string;
  /** Only under these isolations (default: all). */
  isolations?: string[];
}

/** `fixtures/<name>/manifest.json` (the contract in the team brief). */
export interface FixtureManifest {
  name: string;
  title: string;
  tool: string;
  command: string[];
  requires?: { commands?: string[]; probe?: string[] };
  /** false: the tool is expected to leave no daemon (e.g. it dies during start-up). */
  startsDaemon?: boolean;
  check: {
    profile?: string;
    pidfile?: string;
    stdout?: string;
    stderr?: string;
    /** Octal string, "022". */
    umask?: string;
    cwd?: string;
    readyLog?: string;
    expectLog?: string;
    allowIgnored?: string[];
    timeout?: number;
  };
  deviations: Deviation[];
}

export interface LoadedFixture {
  manifest: FixtureManifest;
  /** The fixture's folder, absolute. */
  dir: string;
}

function invalid(path: string, what: string): DaemonspecError {
  return new DaemonspecError('EUSAGE', `${path}: ${what}`, { path });
}

/** Reads and validates one manifest. */
export function readManifest(path: string): FixtureManifest {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new DaemonspecError('EUSAGE', `${path}: not readable JSON (${(cause as Error).message})`, { path, cause });
  }
  const m = value as Partial<FixtureManifest>;
  if (typeof m.name !== 'string' || m.name === '') throw invalid(path, 'missing "name"');
  if (!Array.isArray(m.command) || m.command.length === 0 || !m.command.every((a) => typeof a === 'string')) {
    throw invalid(path, '"command" must be a non-empty array of strings');
  }
  if (typeof m.check !== 'object' || m.check === null) throw invalid(path, 'missing "check"');
  if (!Array.isArray(m.deviations)) throw invalid(path, '"deviations" must be an array (empty when the tool passes every rule)');
  for (const d of m.deviations) {
    if (typeof d?.rule !== 'string' || typeof d.reason !== 'string' || d.reason.trim() === '') {
      throw invalid(path, 'each deviation needs a "rule" and a non-empty "reason"');
    }
  }
  return { title: m.name, tool: m.name, ...m } as FixtureManifest;
}

/** Every `<root>/*\/manifest.json`, sorted by name; `only` restricts to those names (unknown names throw). */
export function loadFixtures(root: string, only?: readonly string[]): LoadedFixture[] {
  const names = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, 'manifest.json')))
    .map((e) => e.name)
    .sort();
  if (only) {
    const unknown = only.filter((n) => !names.includes(n));
    if (unknown.length > 0) {
      throw new DaemonspecError('EUSAGE', `no fixture named ${unknown.join(', ')}; the fixtures are: ${names.join(', ')}`);
    }
  }
  return names
    .filter((n) => !only || only.includes(n))
    .map((n) => ({ manifest: readManifest(join(root, n, 'manifest.json')), dir: join(root, n) }));
}

/** The deviations that apply under one isolation. */
export function deviationsFor(manifest: FixtureManifest, isolation: string): Deviation[] {
  return manifest.deviations.filter((d) => !d.isolations || d.isolations.includes(isolation));
}
