import { mayDifferFromBytes, rawCommandLine } from '../daemon/raw-bytes.js';
import { DaemonspecError } from '../errors.js';

/*
 * Node decodes argv as UTF-8 and turns invalid bytes into U+FFFD, so a command, argument or path
 * with such bytes would reach the daemon changed. Linux keeps the bytes in /proc/self/cmdline:
 * compare, and refuse (exit 2) rather than pass on different bytes than were given.
 */
export function checkRawArgv(argv: readonly string[]): void {
  if (argv !== process.argv || !mayDifferFromBytes(argv.slice(2))) return;
  const raw = rawCommandLine();
  if (raw === null) return;
  const given = argv.slice(2);
  const bytes = raw.slice(raw.length - given.length);
  given.forEach((arg, i) => {
    if (bytes[i] !== undefined && !bytes[i]!.equals(Buffer.from(arg))) {
      throw new DaemonspecError(
        'EUSAGE',
        `argument ${i + 1} (${JSON.stringify(arg)}) holds bytes that are not UTF-8, which Node cannot pass on unchanged: rename the file or use UTF-8 arguments (or a wrapper script)`,
      );
    }
  });
}
