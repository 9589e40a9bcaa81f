import { dirname } from 'node:path';
import type { LibraryHandle } from 'koffi';
import { koffi, koffiBinary } from './koffi.js';
import { once } from './once.js';
import { currentLibc, currentOs } from './platform.js';

/** A declared C function, as koffi returns it. */
export type CFunction = ReturnType<LibraryHandle['func']>;

/**
 * The C library, loaded on first use. Every koffi declaration in the project lives in src/ffi/
 * and uses this handle: nothing else calls koffi.
 */
function loadLibc(): LibraryHandle {
  const k = koffi();
  if (currentOs() === 'darwin') return k.load('libSystem.B.dylib');
  if (currentLibc() === 'glibc') return k.load('libc.so.6');
  // musl: the C library is the dynamic loader itself.
  const arch = process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : process.arch;
  for (const name of [`libc.musl-${arch}.so.1`, `/lib/ld-musl-${arch}.so.1`, 'libc.so']) {
    try {
      return k.load(name);
    } catch {
      // try the next name
    }
  }
  throw new Error('cannot load the C library (musl): none of the usual names could be opened');
}

/** The C library's handle (loads koffi and the library on the first call). */
export const libc = once(loadLibc);

/**
 * A C function declared on its first call, so that a module declaring many costs nothing until
 * one is used. `definition` is a prototype string, or a function that declares it (for prototypes
 * built from struct types, which are lazy too).
 */
export function cFunc(definition: string | (() => CFunction)): CFunction {
  const declared = once(() => (typeof definition === 'string' ? libc().func(definition) : definition()));
  const call = ((...args: unknown[]): unknown => declared()(...args)) as CFunction;
  Object.defineProperties(call, {
    async: { value: (...args: unknown[]): unknown => declared().async(...args) },
    info: { get: () => declared().info },
  });
  return call;
}

/** Declares a function if the C library has it, else returns null (for optional calls such as close_range). */
export function optionalFunc(prototype: string): CFunction | null {
  const lib = libc(); // outside the try: a C library that cannot load is an error, not a missing function
  try {
    return lib.func(prototype);
  } catch {
    return null;
  }
}

/** An optional C function, looked up on the first ask: a function returning it or null. */
export function optionalCFunc(prototype: string): () => CFunction | null {
  return once(() => optionalFunc(prototype));
}

/**
 * Which koffi calls the C library: its version, and the directory of the prebuilt binary package
 * it was loaded from (`@koromix/koffi-<os>-<arch>`, installed by npm as a dependency, so koffi's
 * install script, which npm 11 does not run unless approved, is not needed); null when koffi's own
 * entry loaded it (a binary of its own).
 */
export function koffiInfo(): { version: string; binary: string | null } {
  const { version } = koffi();
  const binary = koffiBinary();
  return { version, binary: binary === null ? null : dirname(dirname(binary)) };
}
