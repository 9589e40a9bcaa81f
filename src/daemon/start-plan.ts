import type { ReadyCondition } from './readiness/conditions.js';

/** Everything a start needs, checked and resolved before anything is spawned. */
export interface StartPlan {
  /** Absolute path of the program and its argv (argv[0] included): text, or raw bytes (a Buffer) passed on unchanged. */
  path: string | Buffer;
  argv: (string | Buffer)[];
  cwd: string;
  umask: number;
  stdout: string;
  stderr: string;
  pidfile: string | null;
  keepFds: number[];
  env: Record<string, string>;
  timeoutMs: number;
  notify: boolean;
  /** The readiness condition of a program that does not report (readyLog, readyTcp, ...), or null. */
  ready: ReadyCondition | null;
  /** setpriv arguments for a privilege drop, or null. */
  privilegeDrop: string[] | null;
  /** The uid the daemon runs as (the --user's, else this process's). */
  uid: number;
}
