import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';

/*
 * Which spec files can run only on Linux, decided from their source so that a new one cannot
 * slip through unclassified (spec/project/platform-guards.test.ts checks this on Linux):
 * - a file that reads /proc itself (fs calls on a '/proc...' path; a '/proc' inside a message
 *   or a fixture string is data, not a read);
 * - a file that imports one of the spec helpers reading /proc (PROC_HELPERS), or anything from
 *   a support module made of them (PROC_MODULES);
 * - a file whose embedded Python reads /proc (`open('/proc/self/status')`, os.listdir, os.readlink)
 *   or calls the `stat()` of spec/posix/support.ts's PY_PRELUDE (/proc/PID/stat);
 * - a file that calls prctl() (a Linux system call: PR_SET_CHILD_SUBREAPER and the like).
 * A file with its own platform guard (`process.platform` in its source: describe.runIf and the
 * like) decides for itself and is not listed. Off Linux, vitest.config.ts leaves the listed
 * files out and prints each with its reason.
 */

const PROC_READ = /\b(?:readFileSync|readlinkSync|readdirSync|existsSync|statSync|lstatSync|openSync|readFile|readlink|readdir)\(\s*[`'"]\/proc\b/;
/** Python inside a test's strings opening, listing or reading a link under /proc. */
const PY_PROC_READ = /\b(?:open|listdir|readlink)\(\s*['"]\/proc\b/;
/** The `stat()` of posix/support.ts's PY_PRELUDE (reads /proc/PID/stat), called by a program built with `py`. */
const PY_PRELUDE_STAT = /\bstat\(/;
const PRCTL = /\bprctl\(/;
/** Helpers in spec/support/proc.ts (re-exported by daemon/ and posix/support.ts) that read /proc on every OS. */
const PROC_HELPERS = ['statFields', 'procView', 'proc'];
/** Support modules that are /proc readers through and through. */
const PROC_MODULES = ['fixtures/support.js', 'fixtures-steps/launch.js', 'inspect/helpers.js', 'support/environ.mjs', 'support/exec-storm.js'];

/** Whether the file imports `name` from spec/posix/support.ts. */
function importsPosixHelper(source: string, file: string, name: string): boolean {
  for (const match of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
    const [, names = '', from = ''] = match;
    if (!posix.join(posix.dirname(file), from).endsWith('spec/posix/support.js')) continue;
    if (names.split(',').some((n) => n.trim().split(/\s+as\s+/)[0] === name)) return true;
  }
  return false;
}

function importsHelper(source: string, file: string): string | null {
  for (const match of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
    const [, names = '', from = ''] = match;
    const resolved = posix.join(posix.dirname(file), from);
    if (PROC_MODULES.some((m) => resolved.endsWith(`spec/${m}`))) return `imports ${from}, which reads /proc`;
    if (!/support(\/proc)?\.js$|\/proc\.js$/.test(from)) continue;
    const imported = names.split(',').map((n) => n.trim().split(/\s+as\s+/)[0]!.replace(/^type\s+/, ''));
    const helper = imported.find((n) => PROC_HELPERS.includes(n));
    if (helper) return `uses ${helper}() from ${from}, which reads /proc`;
  }
  return null;
}

/** Why a spec file (`file`: its path from the root) is Linux-only, or null when it runs anywhere (or guards itself). */
export function linuxOnlyReason(source: string, file: string): string | null {
  if (source.includes('process.platform')) return null;
  if (PROC_READ.test(source)) return 'reads /proc directly';
  if (PY_PROC_READ.test(source)) return 'its Python reads /proc';
  if (PRCTL.test(source)) return 'calls prctl(), a Linux system call';
  const helper = importsHelper(source, file);
  if (helper) return helper;
  if (PY_PRELUDE_STAT.test(source) && importsPosixHelper(source, file, 'py')) return "its Python calls the prelude's stat() (posix/support.ts), which reads /proc/PID/stat";
  return null;
}

function specFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...specFiles(path));
    else if (entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** Every Linux-only spec file under `root`/spec (paths relative to root), with its reason. */
export function linuxOnlySpecs(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of specFiles(join(root, 'spec')).sort()) {
    const path = relative(root, file).split('\\').join('/');
    const reason = linuxOnlyReason(readFileSync(file, 'utf8'), path);
    if (reason) out.set(path, reason);
  }
  return out;
}
