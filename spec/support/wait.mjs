/*
 * The one poller of the specs and the benchmarks (scripts/bench imports it too: plain JS, so that
 * Node runs it without a build; its types are in wait.d.mts). For a condition that no event
 * announces: a process state in /proc, a line in a file another process writes.
 */

/**
 * Asks `probe` every `intervalMs` until it returns a value other than undefined, null or false; past the deadline, null.
 * @template T
 * @param {() => T | undefined | null | false} probe
 * @param {{ timeoutMs?: number, intervalMs?: number }} options
 * @returns {Promise<T | null>}
 */
async function poll(probe, { timeoutMs = 10_000, intervalMs = 10 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * `probe` is asked again every `intervalMs` until it returns a value other than undefined, null
 * or false, which is returned. Past the deadline it throws with what it waited for and, from
 * `seen`, what it last saw. vi.waitFor does the same inside a test; this one also serves the
 * support modules and the benchmarks, outside any test.
 * @template T
 * @param {string} what
 * @param {() => T | undefined | null | false} probe
 * @param {{ timeoutMs?: number, intervalMs?: number, seen?: () => string }} [options]
 * @returns {Promise<T>}
 */
export async function waitFor(what, probe, options = {}) {
  const value = await poll(probe, options);
  if (value !== null) return value;
  const { timeoutMs = 10_000, seen } = options;
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen ? `; saw: ${seen()}` : ''}`);
}

/**
 * process.kill without the throw for a process that is gone already (or not ours to signal).
 * @param {number} pid
 * @param {NodeJS.Signals} signal
 */
function signalQuietly(pid, signal) {
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
 * @template T
 * @param {() => T[]} listed
 * @param {(item: T) => number} pidOf
 * @param {{ timeoutMs?: number, intervalMs?: number, signal?: NodeJS.Signals }} [options]
 * @returns {Promise<T[]>}
 */
export async function killUntilGone(listed, pidOf, options = {}) {
  /** @type {Set<number>} */
  const signalled = new Set();
  /** @type {T[]} */
  let left = [];
  const gone = () => {
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
