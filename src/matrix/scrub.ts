import type { CheckReport } from '../check/report-types.js';
import { CONTAINER_ROOT } from '../isolation/project.js';
import { packageRoot } from '../package-root.js';

const MAX = 160;

/**
 * A rule's actual value as table text that is the same on every run: pids, inode numbers,
 * temporary paths and the checkout's location are replaced by placeholders.
 */
export function scrubActual(actual: unknown, report: CheckReport, work: string | undefined): string {
  let text = typeof actual === 'string' ? actual : JSON.stringify(actual) ?? 'null';
  if (work) text = text.split(work).join('{work}');
  text = text.split(packageRoot()).join('{project}').split(`${CONTAINER_ROOT}/`).join('{project}/');
  text = text.replace(/\b(pipe|socket|anon_inode):\[\d+\]/g, '$1:[…]');
  // A temporary path keeps its last component only (the test runs nest theirs one level deeper).
  text = text.replace(/\/tmp(?:\/[\w.-]+)+\/(?=[\w.-])/g, '/tmp/…/');
  text = text.replace(/\/tmp\/[\w.-]+/g, '/tmp/…').replace(/\/dev\/pts\/\d+/g, '/dev/pts/N');
  const pids = new Set<number>([...(report.candidates ?? []), ...(report.cleanup?.stopped ?? [])]);
  const d = report.daemon;
  if (d) for (const pid of [d.pid, d.ppid, d.pgid, d.sid, d.tpgid ?? 0]) if (pid > 1) pids.add(pid);
  for (const pid of [...pids].sort((a, b) => b - a)) text = text.replace(new RegExp(`\\b${pid}\\b`, 'g'), '<pid>');
  text = text.replace(/\b(pid|ppid|sid|pgid|tpgid)([=: ]+)\d{2,}\b/gi, '$1$2<pid>');
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}

/** Markdown-safe inline text (no pipes or newlines to break a table or a list). */
export function inline(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').replace(/`/g, "'");
}
