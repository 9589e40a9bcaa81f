import { DaemonspecError } from '../errors.js';

/** One of `count` parts of the matrix (`matrix --shard index/count`, index from 1). */
export interface Shard {
  index: number;
  count: number;
}

/** `--shard 2/4` → { index: 2, count: 4 }; anything else is a one-line usage error. */
export function parseShard(text: string, flag = '--shard'): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || !(count >= 1) || !(index >= 1) || index > count || !Number.isSafeInteger(count)) {
    throw new DaemonspecError('EUSAGE', `${flag}: ${JSON.stringify(text)} is not a shard: give INDEX/COUNT with 1 ≤ INDEX ≤ COUNT, such as 1/4`);
  }
  return { index, count };
}

/**
 * The stable split: every fixture × isolation pair, sorted by fixture name and then by the
 * isolation's place in `isolationOrder`, is dealt round-robin to the shards, so each pair is in
 * exactly one shard and the shards differ in size by at most one. The same fixtures and
 * isolations give the same split on every machine, whatever order they were listed in.
 */
export function shardPairs<F extends string, I extends string>(
  fixtures: readonly F[],
  isolations: readonly I[],
  isolationOrder: readonly I[],
  shard: Shard,
): { fixture: F; isolation: I }[] {
  const rank = (isolation: I): number => {
    const at = isolationOrder.indexOf(isolation);
    return at < 0 ? isolationOrder.length : at;
  };
  const pairs = [...new Set(fixtures)]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap((fixture) => [...new Set(isolations)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1)).map((isolation) => ({ fixture, isolation })));
  return pairs.filter((_pair, i) => i % shard.count === shard.index - 1);
}
