/**
 * commander's parse errors (`error: unknown option '--bogus'` and a second line with a guess)
 * in the house format: one line, `daemonspec: ` + what is wrong + what to do.
 */
export function houseParseError(text: string, commandName: string | undefined): string {
  const lines = text.trim().split('\n').map((line) => line.trim()).filter(Boolean);
  const what = (lines[0] ?? 'bad command line').replace(/^error: /, '').replace(/\.$/, '');
  const guess = lines.slice(1).join(' ').replace(/^\((.*)\)$/, '$1');
  // A value an option's own parser refused (InvalidArgumentError): its reason says the fix.
  const invalid = /^option '(\S+)[^']*' argument '.*' is invalid\. (.*)$/s.exec(what);
  if (invalid) return `daemonspec: ${invalid[1]} ${invalid[2]}\n`;
  const where = commandName === undefined ? 'daemonspec' : `daemonspec ${commandName}`;
  const fix = /missing required argument '(command|pid)'/.test(what)
    ? what.includes('command')
      ? `give the command after --, e.g. ${where} -- /bin/sleep 60`
      : `give a process id, e.g. ${where} 1234`
    : `see ${where} --help`;
  return `daemonspec: ${what}${guess ? ` (${guess.replace(/^Did you mean/, 'did you mean')})` : ''}: ${fix}\n`;
}
