import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type KoffiModule from 'koffi';
import { currentLibc } from './platform.js';

/** koffi's API (its default export). */
export type Koffi = typeof KoffiModule;

let loaded: Koffi | undefined;
let loadedBinary: string | null = null;

/**
 * koffi, loaded on the first C call (issue 14.1): importing daemonspec, inspecting a process on
 * Linux (which reads /proc) or printing the CLI's help never loads it.
 *
 * It is loaded straight from its prebuilt binary package (`@koromix/koffi-<os>-<arch>`, the glibc
 * or musl build) rather than through koffi's ES module entry, which finds that same binary after
 * reading four more modules and the node binary's ELF header: measured here, koffi's import costs
 * 10-25 ms over `node -e 0`, its binary alone 1.5-2 ms. The object is the same native module
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

/** The prebuilt binary package's name for this process. */
function prebuiltPackage(): string {
  return `@koromix/koffi-${process.platform}-${process.arch}`;
}

function loadKoffi(): Koffi {
  const require = createRequire(import.meta.url);
  const binary = prebuiltBinary();
  if (binary !== null) {
    try {
      // require(), not process.dlopen(): a later import of koffi then finds the same module in
      // require's cache instead of initialising a second koffi.
      const native = require(binary) as Koffi;
      if (typeof native.load === 'function' && typeof native.version === 'string') {
        loadedBinary = binary;
        return native;
      }
    } catch {
      // unloadable (another build of Node?): koffi's entry says why, or finds another binary
    }
  }
  return require('koffi') as Koffi;
}

/**
 * The prebuilt binary of the koffi this package depends on, or null when it is not there (koffi's
 * entry then finds one). koffi's own ES module entry looks for its prebuilt package next to its
 * directory (`node_modules/@koromix/koffi-<os>-<arch>`), and so does this; koffi's directory is
 * the first `node_modules/koffi` above this file, as Node finds a dependency, with symlinks
 * resolved (pnpm keeps the prebuilt package next to koffi's real directory). The binary is named
 * as the package's own loader names it (`linux_x64/koffi.node`, `musl_x64/koffi.node`); that loader
 * is skipped, since it reads the node binary's ELF header to tell glibc from musl, which
 * platform.ts already knows from /proc/self/maps. Measured here: Node's package resolution costs
 * about 2 ms the first time in a process, and the loader 2.5 ms.
 */
function prebuiltBinary(): string | null {
  const koffiDir = dependencyDir('koffi');
  if (koffiDir === null) return null;
  const triplet = `${currentLibc() === 'musl' ? 'musl' : process.platform}_${process.arch}`;
  const path = join(koffiDir, '..', prebuiltPackage(), triplet, 'koffi.node');
  return existsSync(path) ? path : null;
}

/** The real directory of the package `name` as Node would find it from this file, or null. */
function dependencyDir(name: string): string | null {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return null;
  }
}
