import type { Command } from 'commander';

// Placeholder: the `matrix` command is being written (see the issues).
export function registerMatrix(program: Command): void {
  program.command('matrix').description('(not yet available)');
}
