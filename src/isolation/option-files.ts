import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckOptions } from '../check/report-types.js';
import { makeTempDir } from '../check/temp-dir.js';

/** The files an isolated checker reads its objects from; `dir` holds them (docker mounts it). */
export interface OptionFiles {
  /** An inline profile object, as `--profile FILE`. */
  profile?: string;
  /** A planted caller, as `--caller-json FILE`. */
  caller?: string;
  dir?: string;
  dispose(): void;
}

/**
 * An inline profile object and a planted caller cannot cross a process boundary as flags:
 * they are written to JSON files in one temporary directory for the isolated checker.
 * `dispose` removes it.
 */
export function optionFiles(options: CheckOptions | undefined): OptionFiles {
  const objects = { profile: typeof options?.profile === 'object' ? options.profile : undefined, caller: options?.caller };
  if (objects.profile === undefined && objects.caller === undefined) return { dispose() {} };
  const dir = makeTempDir('daemonspec-options-');
  const files: OptionFiles = { dir: dir.path, dispose: () => dir.remove() };
  for (const key of ['profile', 'caller'] as const) {
    if (objects[key] === undefined) continue;
    files[key] = join(dir.path, `${key}.json`);
    writeFileSync(files[key], `${JSON.stringify(objects[key])}\n`);
  }
  return files;
}
