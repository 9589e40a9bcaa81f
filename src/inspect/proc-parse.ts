/**
 * Pure parsers for Linux /proc text (proc(5)). No I/O here, so each one can be tested on
 * captured text and reused by the process scan.
 */

export interface StatFields {
  pid: number;
  /** The command name between the parentheses (may contain spaces and `)`). */
  name: string;
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  /** Encoded device of the controlling terminal, 0 for none. */
  ttyNr: number;
  /** Foreground process group of the controlling terminal, -1 for none. */
  tpgid: number;
  /** Field 22: clock ticks after boot. */
  startTime: number;
  /** Field 9: the kernel's PF_* flags (PF_KTHREAD 0x00200000: a kernel thread). */
  flags: number;
  /** Field 51: where the environment ends in memory; 0 while an execve is replacing it (or, for another user's process, not shown). */
  envEnd: number;
}

/** Parses /proc/P/stat. The name is cut at the LAST `)`: a process may call itself `a) R 1 (`. */
export function parseStat(text: string): StatFields {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`unrecognised /proc stat line: ${JSON.stringify(text.slice(0, 80))}`);
  // Fields after the name start at field 3 (state); index 0 here is field 3.
  const rest = text.slice(close + 2).split(' ');
  const field = (n: number): number => Number(rest[n - 3]);
  return {
    pid: Number(text.slice(0, open).trim()),
    name: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: field(4),
    pgid: field(5),
    sid: field(6),
    ttyNr: field(7),
    tpgid: field(8),
    startTime: field(22),
    flags: field(9),
    envEnd: field(51),
  };
}

export interface StatusFields {
  /** Null on kernels before 4.7, which have no `Umask:` line. */
  umask: number | null;
  blocked: number[];
  ignored: number[];
  caught: number[];
  /** real, effective, saved, filesystem */
  uids: number[];
  gids: number[];
  groups: number[];
  threads: number | null;
  /** Thread group id: equals the pid for a process, differs for a thread id. */
  tgid: number | null;
}

/** Parses /proc/P/status: only the lines daemonspec judges. */
export function parseStatus(text: string): StatusFields {
  const lines = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) lines.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  const numbers = (key: string): number[] =>
    (lines.get(key) ?? '').split(/\s+/).filter((s) => s !== '').map(Number);
  const umask = lines.get('Umask');
  const threads = lines.get('Threads');
  return {
    umask: umask === undefined ? null : parseInt(umask, 8),
    blocked: signalsFromMask(lines.get('SigBlk') ?? '0'),
    ignored: signalsFromMask(lines.get('SigIgn') ?? '0'),
    caught: signalsFromMask(lines.get('SigCgt') ?? '0'),
    uids: numbers('Uid'),
    gids: numbers('Gid'),
    groups: numbers('Groups'),
    threads: threads === undefined ? null : Number(threads),
    tgid: lines.has('Tgid') ? Number(lines.get('Tgid')) : null,
  };
}

/** A hex signal mask as in SigBlk (`0000000000000202`): bit n-1 set means signal n. Sorted ascending. */
export function signalsFromMask(hex: string): number[] {
  const signals: number[] = [];
  // Walk the hex digits from the least significant end: no BigInt, any width.
  for (let i = hex.length - 1, base = 1; i >= 0; i--, base += 4) {
    const digit = parseInt(hex[i]!, 16);
    if (Number.isNaN(digit)) throw new Error(`not a hex signal mask: ${hex}`);
    for (let bit = 0; bit < 4; bit++) if (digit & (1 << bit)) signals.push(base + bit);
  }
  return signals;
}

/** The `flags:` line of /proc/P/fdinfo/N, octal, including O_CLOEXEC as the kernel reports it. */
export function parseFdinfoFlags(text: string): number | null {
  const match = /^flags:\s*([0-7]+)$/m.exec(text);
  return match ? parseInt(match[1]!, 8) : null;
}

/** Major and minor of a Linux device number (tty_nr, st_rdev), per the kernel's new_encode_dev. */
export function deviceMajor(dev: number): number {
  return Math.floor(dev / 256) & 0xfff;
}

export function deviceMinor(dev: number): number {
  return (dev & 0xff) | ((Math.floor(dev / 4096) & 0xfff00));
}

/** Splits a NUL-separated /proc list (cmdline, environ), dropping the trailing empty entry. */
export function splitNul(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}
