/*
 * The CLI's stdout and stderr, made on first use.
 *
 * `daemonspec check --help | head -1`: the reader is gone, which is no error of ours. Without a
 * listener an EPIPE on stdout would be thrown with its stack; with it, the command ends as it
 * would have (its exit status unchanged) and what is left to print goes nowhere.
 *
 * Installed when a stream is first written to, not at start (issue 14.1): Node makes
 * process.stdout and process.stderr on first access, and a pipe's stream loads node:net (about
 * 3 ms), which a plain `run` that prints nothing never needs.
 */

const quiet = new Set<NodeJS.WriteStream>();

/** `stream`, with EPIPE made quiet. */
export function quietOnClosedPipe(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (quiet.has(stream)) return stream;
  quiet.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  return stream;
}

/** process.stdout, quiet on a closed pipe. */
export const stdout = (): NodeJS.WriteStream => quietOnClosedPipe(process.stdout);

/** process.stderr, quiet on a closed pipe. */
export const stderr = (): NodeJS.WriteStream => quietOnClosedPipe(process.stderr);

/** Whether the CLI has written, or is about to write, to stdout or stderr (through stdout() or stderr()). */
export function outputUsed(): boolean {
  return quiet.size > 0;
}
