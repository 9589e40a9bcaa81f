import { currentOs } from '../ffi/platform.js';
import type { InspectBackend } from './backend.js';
import { darwinBackend } from './darwin.js';
import { linuxBackend } from './linux.js';

/** The backend of the OS this process runs on, chosen once. darwin.ts binds libproc lazily. */
export const backend: InspectBackend = currentOs() === 'darwin' ? darwinBackend : linuxBackend;
