import type { Command } from 'commander';

// Placeholder: the `inspect` command is being written (see the issues).
export function registerInspect(program: Command): void {
  program.command('inspect').description('(not yet available)');
}
