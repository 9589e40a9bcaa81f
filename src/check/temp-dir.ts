import { dirSync } from 'tmp-promise';

/**
 * A private temporary directory (mode 0700, under os.tmpdir(), so TMPDIR moves it) made with
 * tmp-promise, as every temporary directory of the project is. `remove()` deletes it with
 * everything in it and never throws (it may be gone already).
 */
export interface TempDir {
  readonly path: string;
  remove(): void;
}

export function makeTempDir(prefix: string): TempDir {
  // tmp puts its own '-' after the prefix.
  const { name, removeCallback } = dirSync({ prefix: prefix.replace(/-+$/, ''), unsafeCleanup: true });
  return {
    path: name,
    remove() {
      try {
        removeCallback();
      } catch {
        // already removed
      }
    },
  };
}
