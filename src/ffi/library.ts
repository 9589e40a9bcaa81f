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

/** Declares a function if the C library has it, else returns null (for optional calls such as close_range). */
export function optionalFunc(prototype: string): ReturnType<LibraryHandle["func"]> | null {
  try {
    return libc.func(prototype);
  } catch {
    return null;
  }
}
