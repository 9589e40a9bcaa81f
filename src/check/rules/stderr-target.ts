import { stdioTargetRule } from './stdio-target.js';

export const stderrTarget = stdioTargetRule('stderr-target', 2);
