import { CHECK } from './check.js';
import { DOCTOR } from './doctor.js';
import { FUZZ } from './fuzz.js';
import { INSPECT } from './inspect.js';
import { MATRIX } from './matrix.js';
import { MERGE } from './merge.js';
import { RUN } from './run.js';
import { STATUS } from './status.js';
import { STOP } from './stop.js';
import type { CommandSpec } from './table.js';

/** Every command's spec, in the order of docs/cli.md. */
export const COMMAND_SPECS: readonly CommandSpec<never>[] = [RUN, STOP, STATUS, CHECK, FUZZ, INSPECT, MATRIX, MERGE, DOCTOR] as readonly CommandSpec<never>[];
