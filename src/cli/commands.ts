import type { Command } from 'commander';
import { registerCheck } from './check.js';
import { registerDoctor } from './doctor.js';
import { registerInspect } from './inspect.js';
import { registerMatrix } from './matrix.js';
import { registerRun } from './run.js';
import { registerStatus } from './status.js';
import { registerStop } from './stop.js';

/** Each command lives in its own file and exports `registerX(program)`; this is the one list of them. */
export function registerCommands(program: Command): void {
  registerRun(program);
  registerStop(program);
  registerStatus(program);
  registerCheck(program);
  registerInspect(program);
  registerMatrix(program);
  registerDoctor(program);
}
