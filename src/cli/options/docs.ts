import { type CommandSpec, flagSyntax, type OptionText } from './table.js';

/**
 * The option sections of docs/cli.md, rendered from the same tables as --help. Each lies between
 * two markers; `npm run docs:cli` rewrites them, and spec/cli/docs.test.ts fails when the
 * committed file differs from what the tables give.
 */

export function beginMarker(name: string): string {
  return `<!-- options of ${name}: generated from src/cli/options/${name}.ts by npm run docs:cli -->`;
}

export function endMarker(name: string): string {
  return `<!-- end of options of ${name} -->`;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function row(entry: OptionText & { value?: string }): string {
  const meaning = entry.more === undefined ? entry.description : `${entry.description}; ${entry.more}`;
  // A value is shown as code; a default that is a phrase ("twice the number of CPUs") as text.
  const shown = entry.default === undefined ? '' : /\s/.test(entry.default) ? entry.default : `\`${entry.default}\``;
  return `| \`${flagSyntax(entry)}\`${entry.required ? ' (required)' : ''} | ${cell(shown)} | ${cell(meaning)} |`;
}

/** The usage line and the option table of one command. */
export function renderOptions<T>(spec: CommandSpec<T>): string {
  return [
    '```',
    `daemonspec ${spec.name} ${spec.usage}`,
    '```',
    '',
    '| option | default | meaning |',
    '|---|---|---|',
    ...spec.options.map(row),
  ].join('\n');
}

/** docs/cli.md with every command's marked block replaced; a missing marker is an error naming it. */
export function renderCliDoc(current: string, specs: readonly CommandSpec<never>[]): string {
  let text = current;
  for (const spec of specs) {
    const begin = beginMarker(spec.name);
    const end = endMarker(spec.name);
    const from = text.indexOf(begin);
    const to = text.indexOf(end, from);
    if (from < 0 || to < 0) throw new Error(`docs/cli.md: add the lines "${begin}" and "${end}" to the ## ${spec.name} section`);
    text = `${text.slice(0, from + begin.length)}\n${renderOptions(spec)}\n${text.slice(to)}`;
  }
  return text;
}
