import type { Command } from 'commander';

// Placeholder: the `stop` command is being written (see the issues).
export function registerStop(program: Command): void {
  program.command('stop').description('(not yet available)');
}
