import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckOptions } from '../check/report-types.js';
import { makeTempDir } from '../check/temp-dir.js';

/**
 * An inline profile object cannot cross a process boundary as a flag: it is written to a
 * temporary JSON file for the isolated checker. `dispose` removes it.
 */
export function profileFile(options: CheckOptions | undefined): { path?: string; dir?: string; dispose(): void } {
  if (typeof options?.profile !== 'object') return { dispose() {} };
  const dir = makeTempDir('daemonspec-profile-');
  const path = join(dir.path, 'profile.json');
  writeFileSync(path, `${JSON.stringify(options.profile)}\n`);
  return { path, dir: dir.path, dispose: () => dir.remove() };
}
