/** What privileges.ts reads, shared by the per-OS readers. */
export interface CapabilitySets {
  /** Hexadecimal bit masks, as /proc/PID/status shows them (CapEff...). */
  effective: string;
  permitted: string;
  ambient: string;
  inheritable: string;
  bounding: string;
}

export interface Privileges {
  capabilities: CapabilitySets | null;
  /** The no_new_privs bit (prctl PR_SET_NO_NEW_PRIVS). */
  noNewPrivs: boolean | null;
  /** RLIMIT_CORE: a number of bytes, or 'unlimited'. */
  coreLimit: { soft: number | 'unlimited'; hard: number | 'unlimited' } | null;
  /** Whether the process is dumpable (PR_GET_DUMPABLE): it may dump core, and others of its uid may ptrace it. */
  dumpable: boolean | null;
  /** Field name → why it is null. */
  unknown: Record<string, string>;
}
