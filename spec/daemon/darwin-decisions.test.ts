import { describe, expect, test } from 'vitest';
import { checkKeepFds, privilegeDropRefusal } from '../../src/daemon/validate.js';
import { darwinConstants } from '../../src/ffi/constants-darwin.js';
import { linuxConstants } from '../../src/ffi/constants-linux.js';

/*
 * Decisions shared by both systems, exercised here with each system's numbers (issue 18.6).
 * The darwin values, from xnu-11417.101.15: bsd/sys/errno.h line 211 `#define ENOSYS 78`;
 * bsd/sys/syslimits.h line 108 `#define OPEN_MAX 10240`, the bound Apple's
 * posix_spawn_file_actions_adddup2/addinherit_np check (EBADF at or above it).
 */
describe('per-system numbers', () => {
  test.each([
    ['ENOSYS', linuxConstants.ENOSYS, 38, darwinConstants.ENOSYS, 78],
    ['MSG_DONTWAIT', linuxConstants.MSG_DONTWAIT, 0x40, darwinConstants.MSG_DONTWAIT, 0x80],
    ['F_DUPFD_CLOEXEC', linuxConstants.F_DUPFD_CLOEXEC, 1030, darwinConstants.F_DUPFD_CLOEXEC, 67],
    ['sun_path bytes', linuxConstants.SUN_PATH_BYTES, 108, darwinConstants.SUN_PATH_BYTES, 104],
  ])('%s', (_name, linux, linuxValue, darwin, darwinValue) => {
    expect(linux).toBe(linuxValue);
    expect(darwin).toBe(darwinValue);
  });
});

describe('keepFds and what posix_spawn can hand on', () => {
  test('macOS: an fd at or above OPEN_MAX is refused before anything starts, saying what to do', () => {
    expect(() => checkKeepFds([10240], darwinConstants.SPAWN_FD_LIMIT)).toThrow(/not below 10240.*dup it to a lower number/);
    expect(() => checkKeepFds([20000], darwinConstants.SPAWN_FD_LIMIT)).toThrow(expect.objectContaining({ code: 'EUSAGE' }));
  });

  test('Linux: no such bound (a high fd is judged only by being open)', () => {
    expect(() => checkKeepFds([10240], linuxConstants.SPAWN_FD_LIMIT)).toThrow(/is not open in this process/);
  });
});

describe('privilege drop', () => {
  test('macOS refuses --user/--group with what to do instead, not advice to install util-linux', () => {
    const refusal = privilegeDropRefusal('darwin');
    expect(refusal).toMatch(/not supported on macOS/);
    expect(refusal).not.toMatch(/install/);
    expect(refusal).toMatch(/sudo -u USER/);
  });

  test('Linux goes on to the setpriv path', () => {
    expect(privilegeDropRefusal('linux')).toBeNull();
  });
});
