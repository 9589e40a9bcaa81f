import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { usageError } from '../errors.js';
import { signalNumber } from '../ffi/constants.js';
import { type Expectations, type ProfileDefinition, RULE_IDS, type RuleId } from './report-types.js';
import type { ResolvedExpectations } from './rules/index.js';

/**
 * Built-in profiles. Expectations here are defaults: an option given by the user wins.
 * - sysv: systemd daemon(7)'s SysV list; umask 022 and cwd / as most tools do.
 * - seed: the steps of the seed, Juca Crispim's 2013 article "Criando um daemon com Python": umask 0, cwd as the caller gives it, stdin not required.
 * - daemon3: glibc/BSD daemon(3): one fork + setsid (stays a session leader), cwd /, stdio on
 *   /dev/null, umask untouched.
 * - systemd: a new-style service (systemd daemon(7), Type=notify): it must not daemonize; it
 *   stays in the foreground, sends READY=1 and ends on SIGTERM (run-service.ts).
 */
export const BUILTIN_PROFILES: Readonly<Record<'sysv' | 'seed' | 'daemon3' | 'systemd', ProfileDefinition>> = {
  sysv: {
    name: 'sysv',
    description: "systemd daemon(7) 'SysV daemons': double fork, setsid, umask 022, cwd /, stdin /dev/null, clean fds and signals",
    expectations: { umask: 0o022, cwd: '/', stdinDevnull: true },
  },
  seed: {
    name: 'seed',
    description: 'the steps of the seed (Juca Crispim, "Criando um daemon com Python", 2013): double fork, setsid, umask 0, chdir to the given directory',
    expectations: { umask: 0, stdinDevnull: false },
  },
  daemon3: {
    name: 'daemon3',
    description: 'daemon(3): a single fork and setsid, cwd /, stdio on /dev/null, umask left alone',
    disabledRules: ['not-session-leader'],
    expectations: { cwd: '/', stdinDevnull: true },
  },
  systemd: {
    name: 'systemd',
    description: "systemd daemon(7) 'New-Style Daemons', Type=notify: no daemonizing; stays in the foreground, sends READY=1 on NOTIFY_SOCKET, ends on SIGTERM",
    service: true,
    expectations: {},
  },
};

export interface ResolvedProfile {
  name: string;
  /** A new-style service that must not daemonize (ProfileDefinition.service). */
  service: boolean;
  disabledRules: Set<RuleId>;
  expect: ResolvedExpectations;
}

const EXPECTATION_KEYS: Record<keyof Expectations, 'number' | 'string' | 'boolean' | 'string[]'> = {
  umask: 'number',
  cwd: 'string',
  stdout: 'string',
  stderr: 'string',
  pidfile: 'string',
  readyLog: 'string',
  expectLog: 'string',
  allowIgnored: 'string[]',
  stdinDevnull: 'boolean',
};

/** Parses an octal umask given as a string ("022", "0o027") or a number. */
export function parseUmask(value: unknown, where = '--umask'): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0o777) return value;
  if (typeof value === 'string' && /^(0o)?[0-7]{1,4}$/.test(value)) {
    const n = parseInt(value.replace(/^0o/, ''), 8);
    if (n <= 0o777) return n;
  }
  throw usageError(`${where}: ${JSON.stringify(value)} is not an octal umask such as 022 or 027`);
}

/** Validates a profile object (from a user's JSON file), with one clear message per mistake. */
export function validateProfile(value: unknown, source: string): ProfileDefinition {
  const where = (field: string): string => `profile ${source}: ${field}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw usageError(`profile ${source}: expected a JSON object`, { path: source });
  const obj = value as Record<string, unknown>;
  const known = new Set(['name', 'description', 'extends', 'disabledRules', 'strict', 'service', 'expectations', '$schema']);
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) throw usageError(where(`unknown field "${key}" (known: ${[...known].filter((k) => k !== '$schema').join(', ')})`), { path: source });
  }
  if (typeof obj.name !== 'string' || obj.name === '') throw usageError(where('"name" must be a non-empty string'), { path: source });
  if (obj.description !== undefined && typeof obj.description !== 'string') throw usageError(where('"description" must be a string'), { path: source });
  if (obj.strict !== undefined && typeof obj.strict !== 'boolean') throw usageError(where('"strict" must be true or false'), { path: source });
  if (obj.service !== undefined && typeof obj.service !== 'boolean') throw usageError(where('"service" must be true or false'), { path: source });
  if (obj.extends !== undefined && !(typeof obj.extends === 'string' && obj.extends in BUILTIN_PROFILES)) {
    throw usageError(where(`"extends" must be one of ${Object.keys(BUILTIN_PROFILES).join(', ')}`), { path: source });
  }
  if (obj.disabledRules !== undefined) {
    if (!Array.isArray(obj.disabledRules)) throw usageError(where('"disabledRules" must be an array of rule ids'), { path: source });
    for (const id of obj.disabledRules) {
      if (!(RULE_IDS as readonly unknown[]).includes(id)) throw usageError(where(`unknown rule "${String(id)}" in disabledRules (rules: ${RULE_IDS.join(', ')})`), { path: source });
    }
  }
  const expectations: Expectations = {};
  if (obj.expectations !== undefined) {
    if (typeof obj.expectations !== 'object' || obj.expectations === null || Array.isArray(obj.expectations)) {
      throw usageError(where('"expectations" must be an object'), { path: source });
    }
    for (const [key, v] of Object.entries(obj.expectations)) {
      const type = EXPECTATION_KEYS[key as keyof Expectations];
      if (!type) throw usageError(where(`unknown expectation "${key}" (known: ${Object.keys(EXPECTATION_KEYS).join(', ')})`), { path: source });
      if (key === 'umask') {
        expectations.umask = parseUmask(v, where('expectations.umask'));
        continue;
      }
      const ok =
        type === 'string[]' ? Array.isArray(v) && v.every((s) => typeof s === 'string') : typeof v === type;
      if (!ok) throw usageError(where(`expectations.${key} must be a ${type}`), { path: source });
      (expectations as Record<string, unknown>)[key] = v;
    }
  }
  const profile: ProfileDefinition = { name: obj.name, expectations };
  if (typeof obj.description === 'string') profile.description = obj.description;
  if (obj.extends !== undefined) profile.extends = obj.extends as ProfileDefinition['extends'] & string;
  if (obj.disabledRules !== undefined) profile.disabledRules = obj.disabledRules as RuleId[];
  if (typeof obj.strict === 'boolean') profile.strict = obj.strict;
  if (typeof obj.service === 'boolean') profile.service = obj.service;
  return profile;
}

/** Loads a profile by built-in name, file path (JSON), or object. */
export function loadProfile(profile: string | ProfileDefinition | undefined): { label: string; definition: ProfileDefinition } {
  if (profile === undefined) return { label: 'sysv', definition: BUILTIN_PROFILES.sysv };
  if (typeof profile !== 'string') return { label: profile.name, definition: validateProfile(profile, profile.name) };
  if (profile in BUILTIN_PROFILES) return { label: profile, definition: BUILTIN_PROFILES[profile as keyof typeof BUILTIN_PROFILES] };
  if (!/[/\\]|\.json$/.test(profile)) {
    throw usageError(`unknown profile "${profile}": use sysv, seed, daemon3, systemd, or the path of a JSON profile file (./mine.json)`);
  }
  const path = resolve(profile);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const fix = code === 'ENOENT' ? 'check the path, or use a built-in profile: sysv, seed, daemon3, systemd' : code === 'EISDIR' ? 'it is a directory: give the JSON file' : 'check that it is a readable JSON file';
    throw usageError(`cannot read profile file ${path} (${code ?? String(error)}): ${fix}`, { path: path });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw usageError(`profile ${path} is not valid JSON: ${(error as Error).message}`, { path: path });
  }
  return { label: profile, definition: validateProfile(parsed, path) };
}

/** Where the user gave an exact umask or cwd: an option, or a profile that is not a built-in one. */
function exactExpectations(definition: ProfileDefinition, options: Expectations): ('umask' | 'cwd')[] {
  const builtin = Object.values(BUILTIN_PROFILES).includes(definition);
  return (['umask', 'cwd'] as const).filter((key) => options[key] !== undefined || (!builtin && definition.expectations?.[key] !== undefined));
}

/**
 * Merges base profile ← profile ← options (defined values only) into what the rules use.
 * A built-in profile's umask and cwd are suggestions (a chosen other value is a note); the
 * user's own, from an option or a profile file, are judged exactly.
 */
export function resolveProfile(profile: string | ProfileDefinition | undefined, options: Expectations & { strict?: boolean }): ResolvedProfile {
  const { label, definition } = loadProfile(profile);
  const base = definition.extends ? BUILTIN_PROFILES[definition.extends] : undefined;
  const merged: Expectations = { ...(base?.expectations ?? {}), ...(definition.expectations ?? {}) };
  for (const [key, value] of Object.entries(options)) {
    if (key in EXPECTATION_KEYS && value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  for (const name of merged.allowIgnored ?? []) {
    if (signalNumber(name) === undefined) throw usageError(`unknown signal "${name}" in the allowed ignored signals (e.g. SIGPIPE,SIGXFSZ)`);
  }
  if (merged.cwd !== undefined) merged.cwd = resolve(merged.cwd);
  for (const key of ['stdout', 'stderr', 'pidfile'] as const) {
    if (merged[key] !== undefined) merged[key] = resolve(merged[key]!);
  }
  for (const key of ['readyLog', 'expectLog'] as const) {
    if (merged[key] === undefined) continue;
    try {
      new RegExp(merged[key]!, 'm');
    } catch (error) {
      throw usageError(`--${key === 'readyLog' ? 'ready-log' : 'expect-log'}: invalid regular expression: ${(error as Error).message}`);
    }
  }
  const expect: ResolvedExpectations = {
    allowIgnored: merged.allowIgnored ?? [],
    stdinDevnull: merged.stdinDevnull ?? true,
    strict: options.strict ?? definition.strict ?? base?.strict ?? false,
    exact: exactExpectations(definition, options),
  };
  for (const key of ['umask', 'cwd', 'stdout', 'stderr', 'pidfile', 'readyLog', 'expectLog'] as const) {
    if (merged[key] !== undefined) (expect as unknown as Record<string, unknown>)[key] = merged[key];
  }
  return {
    name: label,
    service: definition.service ?? base?.service ?? false,
    disabledRules: new Set([...(base?.disabledRules ?? []), ...(definition.disabledRules ?? [])]),
    expect,
  };
}
