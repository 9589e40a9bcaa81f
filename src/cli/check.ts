import type { Command } from 'commander';

// Placeholder: the `check` command is being written (see the issues).
export function registerCheck(program: Command): void {
  program.command('check').description('(not yet available)');
}
