/**
 * The environment variable that tells a re-executed Node script it is the daemon. daemonize()
 * deletes it from process.env as soon as it has read it, so that programs the daemon starts never
 * take themselves for daemons (go-daemon#82).
 */
export const MARKER = 'DAEMONSPEC_DAEMON';

export interface DaemonMarker {
  v: 1;
  /** Readiness pipe: write `ready` or `fail {json}`. */
  statusFd: number;
  /** Pidfile lock fd (kept for the daemon's life), or null. */
  lockFd: number | null;
  pidfile: string | null;
  manualReady: boolean;
}

/** Reads and removes the marker; null in the original process. */
export function takeMarker(): DaemonMarker | null {
  const raw = process.env[MARKER];
  if (raw === undefined) return null;
  delete process.env[MARKER];
  try {
    const value = JSON.parse(raw) as DaemonMarker;
    if (value.v === 1 && Number.isInteger(value.statusFd)) return value;
  } catch {
    // malformed: not ours
  }
  return null;
}
