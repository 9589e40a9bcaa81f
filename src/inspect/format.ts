import { signalName } from '../ffi/constants.js';
import type { FdInfo, Snapshot } from './snapshot.js';

function signals(list: number[] | null): string {
  if (list === null) return 'unknown';
  return list.length === 0 ? '-' : list.map((n) => signalName(n)).join(' ');
}

function orUnknown<T>(value: T | null, show: (v: T) => string, why: string | undefined): string {
  if (value !== null) return show(value);
  return why ? `unknown (${why})` : 'none';
}

function fdFlags(fd: FdInfo): string {
  const flags: string[] = [];
  if (fd.cloexec) flags.push('cloexec');
  if (fd.append) flags.push('append');
  if (fd.cloexec === null) flags.push('?');
  return flags.join(',') || '-';
}

function fdTable(fds: FdInfo[]): string[] {
  const rows = [['FD', 'KIND', 'ACCESS', 'FLAGS', 'DEV:INODE', 'TARGET']];
  for (const fd of fds) {
    rows.push([
      String(fd.fd),
      fd.kind,
      fd.access ?? '?',
      fdFlags(fd),
      fd.device === null ? '?' : `${fd.device}:${fd.inode}`,
      fd.target,
    ]);
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) => '  ' + row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  '));
}

/** The human form of a snapshot: one attribute per line, fds as a table, signals by name. */
export function formatSnapshot(s: Snapshot): string {
  const leader = s.sid === s.pid ? ' (session leader)' : '';
  const groupLeader = s.pgid === s.pid ? ' (group leader)' : '';
  const lines = [
    `pid      ${s.pid}${s.name ? ` (${s.name})` : ''}`,
    `cmdline  ${s.cmdline.length ? s.cmdline.map((a) => (/[\s'"]/.test(a) ? JSON.stringify(a) : a)).join(' ') : '-'}`,
    `state    ${s.state}`,
    `ppid     ${s.ppid}`,
    `pgid     ${s.pgid}${groupLeader}`,
    `sid      ${s.sid}${leader}`,
    `tty      ${s.tty ? `${s.tty.name ?? '?'} (device ${s.tty.device})` : 'none'}`,
    `tpgid    ${s.tpgid ?? 'none'}`,
    `umask    ${orUnknown(s.umask, (m) => m.toString(8).padStart(4, '0'), s.unknown.umask)}`,
    `cwd      ${orUnknown(s.cwd, (v) => v, s.unknown.cwd)}`,
    `root     ${orUnknown(s.root, (v) => v, s.unknown.root)}`,
    `uid      ${s.uid}${s.uids ? ` (real ${s.uids.real}, saved ${s.uids.saved})` : ''}`,
    `gid      ${s.gid}${s.gids ? ` (real ${s.gids.real}, saved ${s.gids.saved})` : ''}`,
    `groups   ${s.groups.length ? s.groups.join(' ') : '-'}`,
    `blocked  ${s.signals.blocked === null ? `unknown (${s.unknown['signals.blocked'] ?? 'not observable'})` : `${signals(s.signals.blocked)}${whileIn(s.signals.blockedWhileIn)}`}`,
    `ignored  ${signals(s.signals.ignored)}`,
    `caught   ${signals(s.signals.caught)}`,
    `started  ${s.startTime}`,
  ];
  if (s.fds === null) lines.push(`fds      unknown (${s.unknown.fds ?? 'not readable'})`);
  else lines.push(`fds      ${s.fds.length}`, ...fdTable(s.fds));
  return lines.join('\n');
}

/** Said after a blocked mask that is a waiting call's, not the process's own. */
function whileIn(call: string | undefined): string {
  return call === undefined ? '' : ` (the mask of ${call}, which the process waits in; its own is out of sight)`;
}
