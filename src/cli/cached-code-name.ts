/*
 * V8 names code compiled from a code cache by the file name the cache was made under, in every
 * stack trace: a CLI installed anywhere but where it was built would report its errors at the
 * build machine's path (/work/main/dist/bundle/cli-run.cjs). Node 20 offers no way to rename a
 * compiled script, so this CLI's stack traces put the real path back where their text holds the
 * other one. It is installed only in the CLI's own process (bin/daemonspec.js), and only when the
 * two paths differ. It wraps the formatter already there (Node's own, or one that NODE_OPTIONS'
 * --require installed: source-map-support, an APM agent), which still formats every stack.
 */

/** Makes stack traces name `actual` where V8 names `madeFor`, in whatever text the formatter already there makes. */
export function nameCachedCode(madeFor: string, actual: string): void {
  if (madeFor === actual) return;
  const format = Error.prepareStackTrace;
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): unknown => {
    const text: unknown = format ? format(error, frames) : plainStack(error, frames);
    return typeof text === 'string' ? text.replaceAll(madeFor, actual) : text;
  };
}

/** A stack as V8 writes it when no formatter is set. */
function plainStack(error: Error, frames: NodeJS.CallSite[]): string {
  return `${errorHeader(error)}${frames.map((frame) => `\n    at ${String(frame)}`).join('')}`;
}

/** The stack's first line, as V8 writes it: `Name: message`. */
function errorHeader(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}
