/*
 * Parsing the buffer of sysctl KERN_PROCARGS2 on macOS. Layout, from xnu-11417.101.15
 * bsd/kern/kern_exec.c (exec_save_path, exec_extract_strings, exec_copyout_strings) and
 * bsd/kern/kern_sysctl.c (sysctl_procargsx):
 *
 *   int argc | exec path NUL | 0-7 NULs (pointer alignment) | argv[0] NUL ... argv[argc-1] NUL
 *   | env[0] NUL ... env[n-1] NUL | 0-7 NULs ("Align the tail of the combined argv+envv area")
 *   | apple strings (stack_guard=..., ptr_munge=..., executable_file=...) NUL ...
 *
 * Two traps:
 * - For a target it may not read the environment of (cs_restricted, not the caller's uid
 *   and not root), sysctl_procargsx sets omit_env_vars and cuts the copy right after argv: the
 *   buffer ends there. That is "environment unknown", not "empty environment" (a process with
 *   an empty environment still has its apple strings after argv).
 * - The NULs between env and the apple strings are alignment, so there may be none: the apple
 *   strings then follow the last env string directly. The tail is aligned to 8 bytes counted
 *   from the exec path (the string area starts pointer-aligned and "executable_path=", which
 *   precedes the path there, is 16 bytes), so an apple string can only start at such an offset
 *   and starts with one of the keys xnu writes (exec_add_apple_strings).
 */

/** Keys of the apple[] strings xnu writes after the environment (kern_exec.c, *_KEY). */
export const APPLE_KEYS: readonly string[] = [
  'stack_guard=',
  'malloc_entropy=',
  'ptr_munge=',
  'MallocNanoZone=',
  'MallocExperiment=',
  'HardenedRuntime=',
  'pfz=',
  'main_stack=',
  'executable_file=',
  'dyld_file=',
  'executable_cdhash=',
  'executable_boothash=',
  'dyld_flags=',
  'subsystem_root_path=',
  'th_port=',
  'arm64e_abi=',
  'executable_path=',
];

const ALIGN = 8;

export interface Procargs {
  argv: string[];
  /** Null when the kernel left the environment out (a restricted target). */
  env: string[] | null;
}

/** Parses the first `length` bytes of a KERN_PROCARGS2 buffer; null when it is not one. */
export function parseProcargs2(buf: Buffer, length: number): Procargs | null {
  const end = Math.min(length, buf.length);
  if (end < 4) return null;
  const argc = buf.readInt32LE(0);
  const pathStart = 4;
  let pos = buf.indexOf(0, pathStart);
  if (pos < 0 || pos >= end) return null;
  while (pos < end && buf[pos] === 0) pos++;
  const argv: string[] = [];
  while (argv.length < argc && pos < end) {
    const stop = stringEnd(buf, pos, end);
    argv.push(buf.toString('utf8', pos, stop));
    pos = stop + 1;
  }
  if (pos >= end) return { argv, env: null };
  const env: string[] = [];
  while (pos < end) {
    if (buf[pos] === 0) break; // alignment NULs: the environment ended
    if ((pos - pathStart) % ALIGN === 0 && APPLE_KEYS.some((key) => startsWith(buf, pos, end, key))) break;
    const stop = stringEnd(buf, pos, end);
    env.push(buf.toString('utf8', pos, stop));
    pos = stop + 1;
  }
  return { argv, env };
}

function stringEnd(buf: Buffer, from: number, end: number): number {
  const next = buf.indexOf(0, from);
  return next < 0 || next > end ? end : next;
}

function startsWith(buf: Buffer, pos: number, end: number, key: string): boolean {
  return pos + key.length <= end && buf.toString('latin1', pos, pos + key.length) === key;
}
