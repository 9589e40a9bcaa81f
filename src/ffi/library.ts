import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';
import { currentLibc, currentOs } from './platform.js';

/**
 * The C library, loaded once. Every koffi declaration in the project lives in src/ffi/
 * and uses this handle: nothing else calls koffi.
 */
function loadLibc(): LibraryHandle {
  if (currentOs() === 'darwin') return koffi.load('libSystem.B.dylib');
  if (currentLibc() === 'glibc') return koffi.load('libc.so.6');
  // musl: the C library is the dynamic loader itself.
  const arch = process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : process.arch;
  for (const name of [`libc.musl-${arch}.so.1`, `/lib/ld-musl-${arch}.so.1`, 'libc.so']) {
    try {
      return koffi.load(name);
    } catch {
      // try the next name
    }
  }
  throw new Error('cannot load the C library (musl): none of the usual names could be opened');
}

export const libc = loadLibc();

/**
 * Which koffi calls the C library: its version, and the directory of the prebuilt binary package
 * it loaded (`@koromix/koffi-<os>-<arch>`, installed by npm as a dependency, so koffi's install
 * script, which npm 11 does not run unless approved, is not needed); null when it is not found
 * there (koffi then uses a binary of its own).
 */
export function koffiInfo(): { version: string; binary: string | null } {
  let binary: string | null = null;
  try {
    const fromKoffi = createRequire(createRequire(import.meta.url).resolve('koffi'));
    binary = dirname(fromKoffi.resolve(`@koromix/koffi-${process.platform}-${process.arch}/package.json`));
  } catch {
    // not installed as a separate package
  }
  return { version: koffi.version, binary };
}

/** Declares a function if the C library has it, else returns null (for optional calls such as close_range). */
export function optionalFunc(prototype: string): ReturnType<LibraryHandle["func"]> | null {
  try {
    return libc.func(prototype);
  } catch {
    return null;
  }
}
