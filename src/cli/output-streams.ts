/*
 * The CLI's stdout and stderr, made on first use.
 *
 * `daemonspec check --help | head -1`: the reader is gone, which is no error of ours. Without a
 * listener an EPIPE on stdout would be thrown with its stack; with it, the command ends as it
 * would have (its exit status unchanged) and what is left to print goes nowhere.
 *
 * Any other write error (ENOSPC: `> file` on a full disk) is named once on stderr, and the exit
 * status still tells what the command did: `run --print-pid` whose stdout fails has still started
 * its daemon, and a status other than 0 would tell a script that it had not.
 *
 * Installed when a stream is first written to, not at start (issue 14.1): Node makes
 * process.stdout and process.stderr on first access, and a pipe's stream loads node:net (about
 * 3 ms), which a plain `run` that prints nothing never needs.
 */

const quiet = new Set<NodeJS.WriteStream>();
const named = new Set<NodeJS.WriteStream>();

/** `stream`, with EPIPE made quiet and any other write error named once on stderr. */
export function quietOnClosedPipe(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (quiet.has(stream)) return stream;
  quiet.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || named.has(stream)) return;
    named.add(stream);
    if (stream !== process.stderr) nameWriteError('stdout', error);
  });
  return stream;
}

/** One line on stderr: which output was lost, and that the exit status is still the command's. */
function nameWriteError(output: string, error: NodeJS.ErrnoException): void {
  const reason = error.code === undefined ? error.message : `${error.code} (${lowerFirst(error.message.replace(/^\w+: ([^,]*).*$/, '$1'))})`;
  stderr().write(`daemonspec: could not write to ${output}: ${reason}; the exit status is the command's own\n`);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** process.stdout, quiet on a closed pipe. */
export const stdout = (): NodeJS.WriteStream => quietOnClosedPipe(process.stdout);

/** process.stderr, quiet on a closed pipe. */
export const stderr = (): NodeJS.WriteStream => quietOnClosedPipe(process.stderr);

/** Whether the CLI has written, or is about to write, to stdout or stderr (through stdout() or stderr()). */
export function outputUsed(): boolean {
  return quiet.size > 0;
}
