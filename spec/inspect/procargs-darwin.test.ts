import { describe, expect, test } from 'vitest';
import { parseProcargs2 } from '../../src/inspect/procargs-darwin.js';

/*
 * KERN_PROCARGS2 buffers laid out as xnu-11417.101.15 writes them (bsd/kern/kern_exec.c
 * exec_save_path / exec_extract_strings: the exec path padded to 8, argv, env, the tail padded to
 * 8 "Align the tail of the combined argv+envv area", then the apple strings; bsd/kern/kern_sysctl.c
 * sysctl_procargsx: argc first, and the copy cut after argv when omit_env_vars).
 */
function buffer(path: string, argv: string[], env: string[] | null, apple: string[]): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(4);
  head.writeInt32LE(argv.length, 0);
  parts.push(head);
  let size = 0; // counted from the exec path
  const add = (s: string): void => {
    const b = Buffer.from(`${s}\0`);
    parts.push(b);
    size += b.length;
  };
  const pad = (): void => {
    const n = (8 - (size % 8)) % 8;
    parts.push(Buffer.alloc(n));
    size += n;
  };
  add(path);
  pad();
  argv.forEach(add);
  if (env !== null) {
    env.forEach(add);
    pad();
    apple.forEach(add);
  }
  return Buffer.concat(parts);
}

const APPLE = ['stack_guard=0x1', 'malloc_entropy=0x2,0x3', 'ptr_munge=0x4', 'executable_file=0x1,0x2'];

describe('parseProcargs2', () => {
  test.each([
    // [what, env] — each env length gives a different tail padding
    ['tail padding of 7 NULs', ['A=1']],
    ['no tail padding at all (8-aligned env end)', ['A=1', 'BB=222']],
    ['an empty environment', []],
    ['a variable that looks like an apple key but is not aligned', ['X=1', 'ptr_munge=mine']],
  ])('%s', (what, env) => {
    const buf = buffer('/bin/x', ['x', '-f'], env, APPLE);
    // argv ends 13 bytes after the exec path; the env adds its bytes
    const envEnd = 13 + env.reduce((n, e) => n + e.length + 1, 0);
    if (what.startsWith('no tail')) expect(envEnd % 8).toBe(0);
    expect(parseProcargs2(buf, buf.length)).toEqual({ argv: ['x', '-f'], env });
  });

  test('the environment of a restricted target is left out: unknown (null), not empty', () => {
    const buf = buffer('/usr/bin/x', ['x'], null, []);
    expect(parseProcargs2(buf, buf.length)).toEqual({ argv: ['x'], env: null });
  });

  test('the padded exec path is skipped whatever its length', () => {
    for (const path of ['/a', '/abcdefg', '/abcdefgh', '/abcdefghijklmno']) {
      const buf = buffer(path, ['a'], ['K=v'], APPLE);
      expect(parseProcargs2(buf, buf.length)).toEqual({ argv: ['a'], env: ['K=v'] });
    }
  });

  test('a buffer shorter than argc is not one', () => {
    expect(parseProcargs2(Buffer.alloc(2), 2)).toBeNull();
  });
});
