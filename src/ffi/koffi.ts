import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type KoffiModule from 'koffi';
import { currentLibc } from './platform.js';

/** koffi's API (its default export). */
export type Koffi = typeof KoffiModule;

let loaded: Koffi | undefined;

/**
 * koffi, loaded on the first C call (issue 14.1): importing daemonspec, inspecting a process on
 * Linux (which reads /proc) or printing the CLI's help never loads it.
 *
 * It is loaded straight from its prebuilt binary package (`@koromix/koffi-<os>-<arch>`, the glibc
 * or musl build) rather than through koffi's ES module entry, which finds that same binary after
 * reading four more modules and the node binary's ELF header: measured here, koffi's import costs
 * 10-25 ms over `node -e 0`, its binary alone about 2 ms. The object is the same native module
 * koffi's entry wraps; the wrapper only adds deprecation warnings for calls not used here. Where
 * that package is not installed (koffi built from source), koffi's own entry loads it.
 */
export function koffi(): Koffi {
  loaded ??= loadKoffi();
  return loaded;
}

/** The prebuilt binary koffi was loaded from, or null (not loaded yet, or loaded by koffi's own entry). */
export function koffiBinary(): string | null {
  return loadedBinary;
}

let loadedBinary: string | null = null;

/** A require() that resolves as koffi's own entry does (from koffi's directory). */
function requireFromKoffi(): NodeJS.Require {
  const require = createRequire(import.meta.url);
  return createRequire(require.resolve('koffi'));
}

/** The prebuilt binary package's name for this process. */
function prebuiltPackage(): string {
  return `@koromix/koffi-${process.platform}-${process.arch}`;
}

function loadKoffi(): Koffi {
  const fromKoffi = requireFromKoffi();
  const binary = prebuiltBinary(fromKoffi);
  if (binary !== null) {
    try {
      const native = fromKoffi(binary) as Koffi;
      if (typeof native.load === 'function' && typeof native.version === 'string') {
        loadedBinary = binary;
        return native;
      }
    } catch {
      // unloadable (another build of Node?): koffi's entry says why, or finds another binary
    }
  }
  return createRequire(import.meta.url)('koffi') as Koffi;
}

/**
 * The prebuilt package's binary for this process, named as that package's own loader names it
 * (`linux_x64/koffi.node`, `musl_x64/koffi.node`), or null when it is not there (koffi's entry then
 * finds one). The package is looked up from koffi's directory, as koffi does, so that it is the
 * build of the koffi this package depends on even where another version sits nearer (a lookup
 * from here would be a millisecond faster and could find that one). The package's own loader is
 * skipped: it reads the node binary's ELF header to tell glibc from musl, which platform.ts
 * already knows from /proc/self/maps (2.5 ms measured here).
 */
function prebuiltBinary(fromKoffi: NodeJS.Require): string | null {
  let dir: string;
  try {
    dir = dirname(fromKoffi.resolve(`${prebuiltPackage()}/package.json`));
  } catch {
    return null;
  }
  const path = join(dir, `${currentLibc() === 'musl' ? 'musl' : process.platform}_${process.arch}`, 'koffi.node');
  return existsSync(path) ? path : null;
}
