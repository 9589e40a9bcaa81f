interface PollOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/** Asks `probe` every `intervalMs` until it returns a value other than undefined, null or false; past the deadline, null. */
async function poll<T>(probe: () => T | undefined | null | false, { timeoutMs = 10_000, intervalMs = 10 }: PollOptions): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * The specs' one poller, for a condition that no event announces (a process state in /proc, a
 * line in a file another process writes): `probe` is asked again every `intervalMs` until it
 * returns a value other than undefined, null or false, which is returned. Past the deadline it
 * throws with what it waited for and, from `seen`, what it last saw. vi.waitFor does the same
 * inside a test; this one also serves the support modules, outside any test.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false, options: PollOptions & { seen?: () => string } = {}): Promise<T> {
  const value = await poll(probe, options);
  if (value !== null) return value;
  const { timeoutMs = 10_000, seen } = options;
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen ? `; saw: ${seen()}` : ''}`);
}

/** process.kill without the throw for a process that is gone already (or not ours to signal). */
function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}

/**
 * Waits, polling `listed` (the processes still to end, by `pidOf`), until it lists none. With
 * `signal`, each pid is sent it once, as it first appears (a process that forks meanwhile gets
 * its own); without, the processes are only waited for. Past the deadline, those still listed
 * are SIGKILLed and returned: [] means every one ended in time.
 */
export async function killUntilGone<T>(
  listed: () => T[],
  pidOf: (item: T) => number,
  options: PollOptions & { signal?: NodeJS.Signals } = {},
): Promise<T[]> {
  const signalled = new Set<number>();
  let left: T[] = [];
  const gone = (): boolean => {
    left = listed();
    for (const pid of left.map(pidOf)) {
      if (options.signal === undefined || signalled.has(pid)) continue;
      signalled.add(pid);
      signalQuietly(pid, options.signal);
    }
    return left.length === 0;
  };
  if (await poll(gone, options)) return [];
  for (const pid of left.map(pidOf)) signalQuietly(pid, 'SIGKILL');
  return left;
}
