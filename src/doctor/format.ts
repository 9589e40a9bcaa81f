import { colorFor } from '../report/format.js';
import type { DoctorReport, DoctorStatus } from './types.js';
import { DOCTOR_CHECK_IDS } from './types.js';

const MARKS: Record<DoctorStatus, string> = { ok: '✓', missing: '✗', warn: '!' };
const COLOURS: Record<DoctorStatus, string> = { ok: '\x1b[32m', missing: '\x1b[31m', warn: '\x1b[33m' };

/** The same rule as the check report's (FORCE_COLOR, NO_COLOR, a terminal). */
export function useColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return colorFor(stream, env);
}

/** The human-readable doctor report: one line per probe with its mark, then what it means and the fix. */
export function formatDoctor(report: DoctorReport, colour: boolean): string {
  const paint = (status: DoctorStatus, text: string): string => (colour ? `${COLOURS[status]}${text}\x1b[0m` : text);
  const { platform } = report;
  const lines = [
    `daemonspec doctor: ${platform.os} ${platform.arch}, kernel ${platform.kernel}, ${platform.libc}${platform.libcVersion ? ` ${platform.libcVersion}` : ''}, Node ${report.node}`,
    '',
  ];
  for (const id of DOCTOR_CHECK_IDS) {
    const check = report.checks[id];
    const value = check.value === null ? '' : `: ${String(check.value)}`;
    lines.push(`${paint(check.status, MARKS[check.status])} ${check.title}${value}`);
    lines.push(`    ${check.meaning}`);
    if (check.fix) lines.push(`    fix: ${check.fix}`);
  }
  const { ok, warn, missing } = report.summary;
  lines.push('', `${ok} available, ${warn} with caveats, ${missing} missing. A missing item disables only the features named above.`);
  return `${lines.join('\n')}\n`;
}
