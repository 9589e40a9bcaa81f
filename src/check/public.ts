/**
 * The entry `daemonspec/check`: what the checker offers besides running a check: its types,
 * profiles, rule lists, the caller spec, fixture manifests. None of it loads the checker's
 * machinery (the launcher, the daemon search, isolations). The package entry exports only its
 * types: a daemon imports `daemonspec` too, and the rules alone would double what that import
 * compiles (issue 14.1). checkOnHost itself is in ./index.ts, loaded when first called (./lazy.ts).
 */
export * from './report-types.js';
export { mergeRuns } from './merge-runs.js';
export { BUILTIN_PROFILES, parseUmask, resolveProfile, validateProfile } from './profiles.js';
export { LIFECYCLE_RULES, READINESS_RULES, RULES, START_RULES, USER_RULES } from './rules/index.js';
export type { ExpectedUser } from './user/expected-user.js';
export type * from './lifecycle/observations.js';
export { DEFAULT_STOP_TIMEOUT_MS } from './lifecycle/request.js';
export { MARKER_NAME } from './traps.js';
export * from './caller-spec.js';
export {
  deviationsFor,
  fillPlaceholders,
  kindOf,
  listFixtures,
  loadFixtures,
  loadManifest,
  manifestCheck,
  notesFor,
  racesFor,
  readManifest,
  type Deviation,
  type FixtureKind,
  type FixtureManifest,
  type LoadedFixture,
  type Placeholders,
} from './fixtures.js';
