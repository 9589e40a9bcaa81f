import { dirSync } from 'tmp-promise';
import { afterAll, onTestFinished } from 'vitest';

/*
 * Every temporary directory a test needs comes from here (tmp-promise, under the run's TMPDIR):
 * the leftover guard (./temp-guard.ts) fails the run if one is left behind.
 */

function make(prefix: string): { path: string; remove: () => void } {
  // tmp joins its own '-' after the prefix.
  const { name, removeCallback } = dirSync({ prefix: prefix.replace(/-+$/, ''), unsafeCleanup: true });
  return { path: name, remove: removeCallback };
}

/**
 * A fresh directory removed with everything in it when the current test finishes, after
 * `before` (which stops what still runs in it) when given.
 */
export function testDir(prefix: string, before?: () => Promise<void> | void): string {
  const dir = make(prefix);
  onTestFinished(async () => {
    try {
      await before?.();
    } finally {
      dir.remove();
    }
  });
  return dir.path;
}

/** A fresh directory for a whole test file, removed after its last test. */
export function fileDir(prefix: string): string {
  const dir = make(prefix);
  afterAll(() => dir.remove());
  return dir.path;
}
