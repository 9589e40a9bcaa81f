/* The types of wait.mjs (see there). */

export function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false,
  options?: { timeoutMs?: number; intervalMs?: number; seen?: () => string },
): Promise<T>;

export function killUntilGone<T>(
  listed: () => T[],
  pidOf: (item: T) => number,
  options?: { timeoutMs?: number; intervalMs?: number; signal?: NodeJS.Signals },
): Promise<T[]>;
