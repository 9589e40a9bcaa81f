import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

/*
 * A C call made with koffi's `.async()` runs on a worker thread while JavaScript goes on, and V8's
 * garbage collector may move or free a Buffer the call was handed as a raw pointer (a typed array
 * of 64 bytes or less lives inside V8's heap): run --notify's poll() wrote into such a buffer and
 * crashed one parallel start in six (spec/daemon/notify-parallel.test.ts). So a function called
 * with `.async()` takes no raw pointer (`void *`, `uint8_t *`...): only values, and pointers koffi
 * marshals into its own memory for the call (`_Out_`/`_Inout_` ints, koffi structs).
 */
const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** `name` → the C prototype (or koffi declaration) it is declared with, in one file. */
function declarations(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of text.matchAll(/const (c_\w+) = (?:currentOs\(\) === '\w+' \? )?(?:optional)?cFunc\(([^\n]*)\);?$/gm)) found.set(match[1]!, match[2]!);
  return found;
}

test('every C function called with .async() takes no raw pointer that the GC could move', () => {
  const asyncCalls: string[] = [];
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    const declared = declarations(text);
    for (const match of text.matchAll(/\b(c_\w+)\.async\(/g)) {
      const name = match[1]!;
      const declaration = declared.get(name);
      expect(declaration, `${file}: ${name} is called with .async() but not declared in the same file`).toBeDefined();
      asyncCalls.push(name);
      // A raw pointer parameter: `T *` without a koffi direction (_Out_, _Inout_), or koffi's 'void *' / pointer('uint8_t').
      const raw = /(?<!_Out_ |_Inout_ )\b(?:void|u?int\d+_t|char)\s*\*/.test(declaration!) || /pointer\('(?:void|u?int8_t|char)'\)/.test(declaration!);
      expect(raw, `${file}: ${name} (${declaration}) takes a raw pointer and is called with .async()`).toBe(false);
    }
  }
  // The scan sees the calls it guards: poll() for the notify socket, waitpid() for reaping.
  expect(new Set(asyncCalls)).toEqual(new Set(['c_poll', 'c_waitpid']));
});
