import { readFileSync } from 'node:fs';

/** The pidfile's bytes as text, or null when it does not exist (or cannot be read). */
export function pidfileText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
