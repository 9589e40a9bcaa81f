import { createHash, hash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/*
 * The file that holds the CLI's V8 code cache (issue 14.1; src/cli/launcher.ts). V8 checks a cache
 * against its own version, its flags and the length of the code, not its bytes: a cache of an
 * edited file of the same length would run the old code, and V8 does not check the cache's own
 * bytes either (a damaged one can abort node). A cache also carries the file name it was compiled
 * under (stack traces would name the build machine's path). The file therefore starts with one
 * line, in UTF-8, that says what the cache was made from and for; the V8 bytes follow it.
 *
 *   daemonspec-code-cache-2 <node version> <arch> <sha256 of the code> <sha256 of the V8 bytes> <JSON of the code's path>
 *
 * A cache is used only when that line fits this Node, the code as it is now, and the bytes that
 * follow: file times play no part (npm gives every file of a package the same time, and an edit
 * can land in the same clock tick as the build). Both hashes cost about 0.4 ms of a start. A cache
 * is written to a temporary file and renamed, so a reader never meets half a cache
 * (scripts/code-cache.mjs).
 */

const FORMAT = 'daemonspec-code-cache-2';

/** SHA-256 of `bytes`, in hex: crypto.hash where this Node has it (20.12), the longer way before. */
function sha256(bytes: Buffer): string {
  return typeof hash === 'function' ? hash('sha256', bytes) : createHash('sha256').update(bytes).digest('hex');
}

/** The first line of a cache of `data` made now for `code`, at `codePath`. */
export function cacheHeader(codePath: string, code: Buffer, data: Buffer): string {
  return `${FORMAT} ${process.version} ${process.arch} ${sha256(code)} ${sha256(data)} ${JSON.stringify(codePath)}\n`;
}

export interface CodeCache {
  /** V8's bytes. */
  data: Buffer;
  /** The path the code had where the cache was made: V8 names the code so in stack traces. */
  madeFor: string;
}

/** The cache at `cachePath` for `code` (the code file's bytes), or undefined when there is none or it does not fit. */
export function readCodeCache(cachePath: string, code: Buffer): CodeCache | undefined {
  try {
    const file = readFileSync(cachePath);
    const end = file.indexOf(0x0a);
    if (end < 0) return undefined;
    const [format, version, arch, codeHash, dataHash, ...path] = file.toString('utf8', 0, end).split(' ');
    if (format !== FORMAT || version !== process.version || arch !== process.arch || codeHash !== sha256(code)) return undefined;
    const data = file.subarray(end + 1);
    if (dataHash !== sha256(data)) return undefined;
    return { data, madeFor: JSON.parse(path.join(' ')) as string };
  } catch {
    return undefined;
  }
}
