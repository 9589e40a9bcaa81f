import { koffiInfo } from '../ffi/library.js';
import type { DoctorCheck } from './types.js';

/**
 * koffi, through which every C call is made. That this probe runs at all proves it loaded and
 * opened the C library (the doctor's other probes call it); the line says which binary, so the
 * npm 11 warning about koffi's install script can be read for what it is (docs/limits.md).
 */
export function probeKoffi(): DoctorCheck {
  const { version, binary } = koffiInfo();
  return {
    id: 'koffi',
    status: 'ok',
    title: 'koffi (the FFI to the C library)',
    value: binary === null ? `koffi ${version}` : `koffi ${version}, prebuilt binary from ${binary}`,
    meaning:
      'koffi loads and calls the C library. It needs no install script: npm 11\'s "install-scripts koffi" warning can be ignored.',
    fix: null,
  };
}
