/**
 * `npm run docs:cli`: rewrites the option sections of docs/cli.md from the option tables
 * (src/cli/options/). With --check it writes nothing and exits 1 when the file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderCliDoc } from '../src/cli/options/docs.js';
import { COMMAND_SPECS } from '../src/cli/options/index.js';

const file = new URL('../../docs/cli.md', import.meta.url);
const current = readFileSync(file, 'utf8');
const wanted = renderCliDoc(current, COMMAND_SPECS);
if (process.argv.includes('--check')) {
  if (wanted !== current) {
    process.stderr.write('docs/cli.md is out of date with src/cli/options/: run npm run docs:cli\n');
    process.exitCode = 1;
  }
} else if (wanted !== current) {
  writeFileSync(file, wanted);
  process.stdout.write('docs/cli.md: option sections rewritten\n');
}
