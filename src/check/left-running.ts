/**
 * The one line for processes a check could not stop: the CLI prints it (and exits 2), the matrix
 * makes it the row's problem. The verdicts stand either way.
 */
export function leftRunningText(pids: readonly number[]): string {
  const many = pids.length > 1;
  return `the check could not stop pid${many ? 's' : ''} ${pids.join(', ')}: stop ${many ? 'them' : 'it'} by hand (kill -KILL ${pids.join(' ')})`;
}
