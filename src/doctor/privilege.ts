import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { DoctorCheck } from './types.js';

export function findOnPath(name: string): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/bin', '/bin', '/usr/sbin', '/sbin']);
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export function probeRoot(): DoctorCheck {
  const uid = process.getuid?.() ?? -1;
  const root = uid === 0;
  return {
    id: 'root',
    status: root ? 'ok' : 'warn',
    title: 'Running as root',
    value: root,
    meaning: root
      ? 'Privilege drop (--user/--group), the namespace isolation and chroot can be used and tested.'
      : `Running as uid ${uid}: --user/--group are refused (EUSER), --isolation namespace and the privilege-drop tests are skipped.`,
    fix: root ? null : 'Run as root (sudo, or a container) to use privilege drop and namespace isolation.',
  };
}

export function probeSetpriv(): DoctorCheck {
  const path = findOnPath('setpriv');
  return {
    id: 'setpriv',
    status: path ? 'ok' : process.platform === 'linux' ? 'missing' : 'warn',
    title: 'setpriv (util-linux)',
    value: path,
    meaning: path
      ? 'The daemonizer drops privileges with setpriv --reuid --regid --init-groups before exec.'
      : 'Without setpriv the daemonizer cannot drop privileges: --user/--group fail.',
    fix: path ? null : process.platform === 'linux' ? 'apt-get install util-linux (Debian/Ubuntu), apk add setpriv (Alpine).' : 'Not available on macOS; privilege drop is Linux-only here.',
  };
}
