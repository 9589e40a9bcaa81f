import type { Command } from 'commander';
import { doctor, formatDoctor, useColour } from '../doctor/index.js';
import { addCommand } from './options/build.js';
import { convertFlags } from './options/convert.js';
import { DOCTOR } from './options/doctor.js';

export function registerDoctor(program: Command, argv: readonly string[]): void {
  addCommand(program, DOCTOR, argv)
    .addHelpText(
      'after',
      `
Each line is ✓ (available), ! (works with a caveat) or ✗ (missing: the features it names are
disabled here), with what it means and how to enable it.

Exit status: 0 whatever is missing (a doctor reports, it does not fail).

Examples:
  $ daemonspec doctor
  $ daemonspec doctor --json | jq '.checks.docker'
  $ daemonspec doctor --image my-registry/daemonspec:1`,
    )
    .action(async (flags: Record<string, unknown>) => {
      const { json, ...options } = convertFlags(DOCTOR.options, flags);
      const report = await doctor(options);
      process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctor(report, useColour(process.stdout)));
    });
}
