import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ISOLATION_NAMES } from '../../src/check/report-types.js';
import { parseShard, shardPairs } from '../../src/matrix/shard.js';
import { propertySeed } from '../support/property.js';

/* matrix --shard I/N: every fixture × isolation pair in exactly one shard, the same split whatever the order given. */

const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), { minLength: 0, maxLength: 20 });
const isolations = fc.subarray([...ISOLATION_NAMES], { minLength: 1 });

describe('the stable split of the matrix into shards', () => {
  it('deals every pair to exactly one shard, shard sizes within one of each other, independent of input order', () => {
    fc.assert(
      fc.property(names, isolations, fc.integer({ min: 1, max: 9 }), fc.integer(), (fixtures, isos, count, shuffleSeed) => {
        const shards = Array.from({ length: count }, (_, i) => shardPairs(fixtures, isos, ISOLATION_NAMES, { index: i + 1, count }));
        const keys = shards.flat().map((p) => `${p.isolation}/${p.fixture}`);
        const all = fixtures.flatMap((f) => isos.map((i) => `${i}/${f}`));
        expect(keys.slice().sort()).toEqual(all.slice().sort());
        expect(new Set(keys).size).toBe(keys.length);
        const sizes = shards.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        // Another order of the same names (as another machine might list them): the same split.
        const shuffled = [...fixtures].sort(() => ((shuffleSeed = (shuffleSeed * 1103515245 + 12345) | 0) & 1 ? 1 : -1));
        const again = Array.from({ length: count }, (_, i) => shardPairs(shuffled, [...isos].reverse(), ISOLATION_NAMES, { index: i + 1, count }));
        expect(again).toEqual(shards);
      }),
      { seed: propertySeed(), numRuns: 300 },
    );
  });

  it('parses I/N and refuses anything else in one line', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', '1', '1/2/3', 'a/b', '-1/2', '']) {
      expect(() => parseShard(bad)).toThrow(/^--shard: ".*" is not a shard: give INDEX\/COUNT with 1 ≤ INDEX ≤ COUNT, such as 1\/4$/);
    }
  });
});
