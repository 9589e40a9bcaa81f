/*
 * V8 names code compiled from a code cache by the file name the cache was made under, in every
 * stack trace: a CLI installed anywhere but where it was built would report its errors at the
 * build machine's path (/work/main/dist/bundle/cli-run.cjs). Node 20 offers no way to rename a
 * compiled script, so this CLI's stack traces put the real path back in the frames that hold the
 * other one. It is installed only in the CLI's own process (bin/daemonspec.js), and only when the
 * two paths differ.
 */

/** Makes stack traces name `actual` where V8 names `madeFor`. */
export function nameCachedCode(madeFor: string, actual: string): void {
  if (madeFor === actual) return;
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) =>
    `${errorHeader(error)}${frames.map((frame) => `\n    at ${String(frame).replaceAll(madeFor, actual)}`).join('')}`;
}

/** The stack's first line, as V8 writes it: `Name: message`. */
function errorHeader(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}
