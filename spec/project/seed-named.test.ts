import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES } from '../../src/check/profiles.js';
import { RULES } from '../../src/check/rules/index.js';
import { COMMAND_SPECS } from '../../src/cli/options/index.js';

/*
 * Issue 16.7: "the seed" (the article this project was measured against) is identified wherever
 * a reader meets it: each document, fixture manifest, rule reference and profile description
 * that speaks of the seed names it (Crispim, the author), so no reader has to guess which seed,
 * nor confuse it with the trap seed of --seed.
 */
const NAMED = /Crispim/;
/** The seed article, as opposed to the trap seed (`--seed`, "a seed that the report prints"). */
const MENTIONS = /\bthe seed\b(?! `)|\bseed's\b|\bseed article\b/i;

describe('the seed is identified wherever it is used', () => {
  const docs = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
  const manifests = readdirSync('fixtures')
    .map((d) => join('fixtures', d, 'manifest.json'))
    .filter((p) => {
      try {
        readFileSync(p);
        return true;
      } catch {
        return false;
      }
    });

  it.each([...docs, ...manifests])('%s names the seed where it mentions it', (file) => {
    const text = readFileSync(file, 'utf8');
    if (MENTIONS.test(text)) expect(text).toMatch(NAMED);
  });

  it.each(RULES.map((r) => [r.id, r.reference] as const))('rule %s: its reference names the seed', (_id, reference) => {
    if (/seed/i.test(reference)) expect(reference).toMatch(NAMED);
  });

  it('the seed profile names it in its description, and so does --profile', () => {
    expect(BUILTIN_PROFILES.seed.description).toMatch(NAMED);
    const profile = COMMAND_SPECS.find((c) => c.name === 'check')!.options.find((o) => o.flag === '--profile')!;
    expect(profile.description).toMatch(NAMED);
  });
});
