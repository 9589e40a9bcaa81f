import { stdioTargetRule } from './stdio-target.js';

export const stdoutTarget = stdioTargetRule('stdout-target', 1);
