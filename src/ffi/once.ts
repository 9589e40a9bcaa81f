/**
 * A value made on its first use and kept. The FFI layer declares its C types and functions this
 * way, so that importing a module that declares them runs no koffi code (issue 14.1).
 */
export function once<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
