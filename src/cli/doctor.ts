import type { Command } from 'commander';

// Placeholder: the `doctor` command is being written (see the issues).
export function registerDoctor(program: Command): void {
  program.command('doctor').description('(not yet available)');
}
