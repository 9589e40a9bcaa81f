import { readdirSync, statSync } from 'node:fs';
import { deviceMajor, deviceMinor } from './proc-parse.js';

function rdevOf(path: string): number | null {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats?.isCharacterDevice() ? stats.rdev : null;
  } catch {
    return null;
  }
}

/** Likely names first (Unix98 ptys are majors 136-143, virtual consoles and serial lines major 4). */
function guesses(dev: number): string[] {
  const major = deviceMajor(dev);
  const minor = deviceMinor(dev);
  if (major >= 136 && major <= 143) return [`/dev/pts/${(major - 136) * 256 + minor}`];
  if (major === 4) return [minor < 64 ? `/dev/tty${minor}` : `/dev/ttyS${minor - 64}`];
  if (major === 5 && minor === 1) return ['/dev/console'];
  return [];
}

/**
 * The /dev path of a terminal device number (tty_nr), or null when no node matches (a pty of
 * another mount namespace, say). A guess is accepted only when its st_rdev equals the number.
 */
export function ttyNameLinux(dev: number): string | null {
  for (const path of guesses(dev)) if (rdevOf(path) === dev) return path;
  const scan: string[] = [];
  try {
    for (const name of readdirSync('/dev/pts')) scan.push(`/dev/pts/${name}`);
  } catch {
    // no devpts mounted
  }
  for (const name of readdirSync('/dev')) if (name.startsWith('tty') || name === 'console') scan.push(`/dev/${name}`);
  for (const path of scan) if (rdevOf(path) === dev) return path;
  return null;
}

/** Whether a character device number is a terminal: majors 4 and 5 (tty, console, ptmx) and 136-143 (pts). */
export function isTtyDevice(rdev: number): boolean {
  const major = deviceMajor(rdev);
  return major === 4 || major === 5 || (major >= 136 && major <= 143);
}
