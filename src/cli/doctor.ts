import type { Command } from 'commander';
import { DEFAULT_DOCKER_IMAGE, doctor, formatDoctor, useColour } from '../doctor/index.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('Say what this machine supports and what the checker can verify here. Always exits 0.')
    .option('--json', 'print one JSON object instead of text')
    .option('--image <name>', 'Docker image to look for (the one --isolation docker uses)', DEFAULT_DOCKER_IMAGE)
    .addHelpText(
      'after',
      `
Each line is ✓ (available), ! (works with a caveat) or ✗ (missing: the features it names are
disabled here), with what it means and how to enable it. The exit status is 0 whatever is
missing: a doctor reports, it does not fail.

Examples:
  $ daemonspec doctor
  $ daemonspec doctor --json | jq '.checks.docker'
  $ daemonspec doctor --image my-registry/daemonspec:1`,
    )
    .action(async (options: { json?: boolean; image: string }) => {
      const report = await doctor({ image: options.image });
      process.stdout.write(
        options.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctor(report, useColour(process.stdout)),
      );
    });
}
