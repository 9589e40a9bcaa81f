import type { Command } from 'commander';

// Placeholder: the `run` command is being written (see the issues).
export function registerRun(program: Command): void {
  program.command('run').description('(not yet available)');
}
