import type { CheckReport } from '../check/report-types.js';

// Key order of the JSON report: the contract's order first, then any other key, sorted.
const REPORT_KEYS = [
  'schemaVersion', 'verdict', 'command', 'profile', 'isolation', 'seed', 'strict', 'caller', 'noDaemon', 'launcher',
  'daemon', 'chain', 'candidates', 'results', 'cleanup', 'notes', 'terminalOutput', 'runs', 'durationMs', 'trace',
];
const CHILD_KEYS: Record<string, readonly string[]> = {
  launcher: ['exitCode', 'signal', 'readyAtExit', 'timedOut', 'shellEnded'],
  cleanup: ['stopped', 'leftRunning'],
  results: ['rule', 'title', 'status', 'expected', 'actual', 'message', 'findings', 'fix', 'reference', 'runs'],
  caller: ['seed', 'blockedSignals', 'ignoredSignals', 'umask', 'cwd', 'cwdOrigin', 'fds', 'spec'],
  noDaemon: ['reason', 'lastLines'],
  trace: ['tool', 'calls', 'processes', 'events', 'omitted'],
  chain: ['checker', 'launcher'],
  daemon: [
    'pid', 'ppid', 'pgid', 'sid', 'tpgid', 'tty', 'umask', 'cwd', 'root', 'fds', 'signals', 'uid', 'gid',
    'groups', 'cmdline', 'state', 'startTime', 'unknown',
  ],
};

function ordered(value: unknown, order: readonly string[] = [], nested = false): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v, order, nested));
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const rest = Object.keys(source)
    .filter((k) => !order.includes(k))
    .sort();
  const out: Record<string, unknown> = {};
  for (const key of [...order.filter((k) => k in source), ...rest]) {
    if (source[key] === undefined) continue;
    // Only the top level's children have a contract order; deeper objects are sorted.
    out[key] = ordered(source[key], nested ? [] : (CHILD_KEYS[key] ?? []), true);
  }
  return out;
}

/** The report as a plain object with a stable key order (what `--json` prints). */
export function toJsonObject(report: CheckReport): Record<string, unknown> {
  return ordered(report, REPORT_KEYS) as Record<string, unknown>;
}

/**
 * `daemonspec check --json`: one JSON object, schema version 2, keys in a stable order
 * (the contract's order; other keys after it, sorted), ending with a newline.
 */
export function renderJson(report: CheckReport, options: { indent?: number } = {}): string {
  return `${JSON.stringify(toJsonObject(report), null, options.indent ?? 2)}\n`;
}
