import { readFileSync, statSync } from 'node:fs';

/*
 * The file that holds the CLI's V8 code cache (issue 14.1; src/cli/launcher.ts). V8 checks a cache
 * against its own version, its flags and the length of the code, so a cache of an edited file of
 * the same length would run the old code, and a cache carries the file name it was compiled under
 * (stack traces would name the build machine's path). The file therefore starts with one line that
 * says what the cache was made from and for; the V8 bytes follow it.
 *
 *   daemonspec-code-cache-1 <node version> <arch> <bytes of the code> <JSON of the code's path>
 *
 * A cache is used only when that line fits this Node and the code's size, and the code is not newer
 * than the cache (an edit after the build). npm's install gives every file the same time, and
 * Docker's COPY and `cp -p` keep the times; a plain `cp` that writes the code after the cache only
 * costs the cache. A cache is written to a temporary file and renamed, so a reader never meets half a
 * cache (scripts/code-cache.mjs).
 */

const FORMAT = 'daemonspec-code-cache-1';

/** The first line of a cache made now for the code at `codePath`, `codeBytes` long. */
export function cacheHeader(codePath: string, codeBytes: number): string {
  return `${FORMAT} ${process.version} ${process.arch} ${codeBytes} ${JSON.stringify(codePath)}\n`;
}

export interface CodeCache {
  /** V8's bytes. */
  data: Buffer;
  /** The path the code had where the cache was made: V8 names the code so in stack traces. */
  madeFor: string;
}

/** The cache at `cachePath` for the code at `codePath`, or undefined when there is none or it does not fit. */
export function readCodeCache(cachePath: string, codePath: string): CodeCache | undefined {
  let file: Buffer;
  try {
    file = readFileSync(cachePath);
    const code = statSync(codePath);
    if (code.mtimeMs > statSync(cachePath).mtimeMs) return undefined;
    const end = file.indexOf(0x0a);
    const made = file.toString('latin1', 0, end);
    const prefix = cacheHeader('', code.size).slice(0, -3);
    if (end < 0 || !made.startsWith(prefix)) return undefined;
    return { data: file.subarray(end + 1), madeFor: JSON.parse(made.slice(prefix.length)) as string };
  } catch {
    return undefined;
  }
}
