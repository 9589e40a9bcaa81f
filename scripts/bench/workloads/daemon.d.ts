// The npm `daemon` package (1.1) ships no types: the part of it npm-daemon.cjs calls.
declare module 'daemon' {
  import type { ChildProcess, StdioNull, StdioPipe } from 'node:child_process';

  interface DaemonOptions {
    /** The child's cwd; the package's default (the function process.cwd) is rejected by Node >= 8. */
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    stdout?: StdioNull | StdioPipe | number;
    stderr?: StdioNull | StdioPipe | number;
  }

  /** Re-spawns this script detached (with `__daemon` set) and exits; in that child, returns its pid. */
  function daemon(options?: DaemonOptions): number;
  namespace daemon {
    /** Spawns `script` detached with `args`; returns the child. */
    function daemon(script: string, args: string[], options?: DaemonOptions): ChildProcess;
  }
  export = daemon;
}
