/**
 * The specs' one poller, for a condition that no event announces (a process state in /proc, a
 * line in a file another process writes): `probe` is asked again every `intervalMs` until it
 * returns a value other than undefined, null or false, which is returned. Past the deadline it
 * throws with what it waited for and, from `seen`, what it last saw. vi.waitFor does the same
 * inside a test; this one also serves the support modules, outside any test.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false,
  options: { timeoutMs?: number; intervalMs?: number; seen?: () => string } = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 10, seen } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen ? `; saw: ${seen()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
