import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs helper without type declarations
import * as stats from '../../scripts/bench/stats.mjs';

const { median, summarize, interleave, ratio, pairedRatio, fmt, fmtRatio, textTable, markdownTable } = stats as {
  median: (v: number[]) => number;
  summarize: (v: number[]) => { n: number; median: number; min: number; max: number };
  interleave: (
    cases: { name: string; run: (round: number) => Promise<number | null> }[],
    opts: { warmup: number; rounds: number },
  ) => Promise<Map<string, number[]>>;
  ratio: (a: number, b: number) => number;
  pairedRatio: (a: number[], b: number[]) => number;
  fmt: (v: number) => string;
  fmtRatio: (v: number) => string;
  textTable: (columns: string[], rows: string[][]) => string;
  markdownTable: (columns: string[], rows: string[][]) => string;
};

describe('bench statistics', () => {
  it('median of odd and even counts, without reordering the input', () => {
    const input = [5, 1, 3];
    expect(median(input)).toBe(3);
    expect(input).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('summarize gives n, median, min and max', () => {
    expect(summarize([10, 2, 7, 7, 30])).toEqual({ n: 5, median: 7, min: 2, max: 30 });
    expect(summarize([]).n).toBe(0);
  });

  it('interleave warms up every case, then rotates the order each round', async () => {
    const calls: string[] = [];
    const mk = (name: string) => ({
      name,
      run: async (round: number) => {
        calls.push(`${name}${round}`);
        return round < 0 ? 999 : name === 'b' && round === 1 ? null : round;
      },
    });
    const samples = await interleave([mk('a'), mk('b'), mk('c')], { warmup: 1, rounds: 3 });
    expect(calls).toEqual(['a-1', 'b-1', 'c-1', 'a0', 'b0', 'c0', 'b1', 'c1', 'a1', 'c2', 'a2', 'b2']);
    // warm-up samples are dropped, null samples too
    expect(samples.get('a')).toEqual([0, 1, 2]);
    expect(samples.get('b')).toEqual([0, 2]);
  });

  it('ratios: of medians, and the median of per-round ratios', () => {
    expect(ratio(30, 10)).toBe(3);
    expect(ratio(1, 0)).toBeNaN();
    // a drifting machine: round ratios are all 2 though the medians differ by another factor
    expect(pairedRatio([2, 4, 8, 100], [1, 2, 4, 50])).toBe(2);
  });

  it('formats numbers and ratios for tables', () => {
    expect(fmt(1234.5)).toBe('1235');
    expect(fmt(12.345)).toBe('12.3');
    expect(fmt(1.2345)).toBe('1.23');
    expect(fmt(0.01234)).toBe('0.012');
    expect(fmt(Number.NaN)).toBe('–');
    expect(fmtRatio(1.234)).toBe('1.23×');
    expect(fmtRatio(543.2)).toBe('543×');
  });

  it('text tables align columns; markdown tables escape pipes', () => {
    const text = textTable(['case', 'ms'], [['a', '1'], ['longer', '22']]);
    expect(text.split('\n')).toEqual(['case    ms', '------  --', 'a       1', 'longer  22']);
    const md = markdownTable(['a', 'b'], [['x|y', '1']]);
    expect(md.split('\n')).toEqual(['| a | b |', '|---|---|', '| x\\|y | 1 |']);
  });
});
