import { dirSync } from 'tmp-promise';
import { caretakerDir } from './caretaker.js';

/**
 * A private temporary directory (mode 0700, under os.tmpdir(), so TMPDIR moves it) made with
 * tmp-promise, as every temporary directory of the project is. `remove()` deletes it with
 * everything in it and never throws (it may be gone already).
 */
export interface TempDir {
  readonly path: string;
  remove(): void;
}

/** The directories made here and not removed yet (an interrupted command removes them). */
export const liveTempDirs = new Set<string>();

export function makeTempDir(prefix: string): TempDir {
  // tmp puts its own '-' after the prefix.
  const { name, removeCallback } = dirSync({ prefix: prefix.replace(/-+$/, ''), unsafeCleanup: true });
  liveTempDirs.add(name);
  caretakerDir(name);
  return {
    path: name,
    remove() {
      liveTempDirs.delete(name);
      try {
        removeCallback();
      } catch {
        // already removed
      }
    },
  };
}
