import type { Command } from 'commander';

// Placeholder: the `status` command is being written (see the issues).
export function registerStatus(program: Command): void {
  program.command('status').description('(not yet available)');
}
