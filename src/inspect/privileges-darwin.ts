import type { Privileges } from './privileges-types.js';

/**
 * macOS has no capabilities and no no_new_privs; the core-dump limit and P_NOCLDSTOP-style flags
 * of another process are not exposed by libproc or sysctl.
 */
export function darwinPrivileges(_pid: number): Privileges {
  return {
    capabilities: null,
    noNewPrivs: null,
    coreLimit: null,
    dumpable: null,
    unknown: {
      capabilities: 'macOS has no POSIX capabilities: a process has the privileges of its uid',
      noNewPrivs: 'macOS has no no_new_privs flag',
      coreLimit: "another process's RLIMIT_CORE is not readable from outside on macOS",
      dumpable: "another process's dumpable state is not readable from outside on macOS",
    },
  };
}
