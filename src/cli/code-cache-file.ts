import { readFileSync } from 'node:fs';

/*
 * The file that holds the CLI's V8 code cache (issue 14.1; src/cli/launcher.ts). V8 checks a cache
 * against its own version, its flags and the length of the code, not its bytes: a cache of an
 * edited file of the same length would run the old code. A cache also carries the file name it was
 * compiled under (stack traces would name the build machine's path). The file therefore starts
 * with one line, in UTF-8, that says what the cache was made from and for, followed by a copy of
 * the code it was made from and then the V8 bytes:
 *
 *   daemonspec-code-cache-3 <node version> <arch> <bytes of the code> <bytes of V8's cache> <JSON of the code's path>
 *
 * A cache is used only when that line fits this Node, the code is byte for byte the copy (one
 * memcmp: file times play no part, as npm gives every file of a package the same time and an edit
 * can land in the build's clock tick) and the file is whole. Hashing instead cost a start about
 * 6 ms (node:crypto is not in Node's startup snapshot). V8 does not check its own bytes: a cache
 * damaged in place, at its length, can still abort node (docs/limits.md). A cache is written to a
 * temporary file and renamed, so a reader never meets half a cache (scripts/code-cache.mjs).
 */

const FORMAT = 'daemonspec-code-cache-3';

/** The cache file's content for V8's `data`, made now from `code` at `codePath`. */
export function cacheFile(codePath: string, code: Buffer, data: Buffer): Buffer {
  const header = `${FORMAT} ${process.version} ${process.arch} ${code.length} ${data.length} ${JSON.stringify(codePath)}\n`;
  return Buffer.concat([Buffer.from(header, 'utf8'), code, data]);
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
    const [format, version, arch, codeBytes, dataBytes, ...path] = file.toString('utf8', 0, end).split(' ');
    if (format !== FORMAT || version !== process.version || arch !== process.arch || Number(codeBytes) !== code.length) return undefined;
    const start = end + 1 + code.length;
    if (file.length !== start + Number(dataBytes) || !file.subarray(end + 1, start).equals(code)) return undefined;
    return { data: file.subarray(start), madeFor: JSON.parse(path.join(' ')) as string };
  } catch {
    return undefined;
  }
}
