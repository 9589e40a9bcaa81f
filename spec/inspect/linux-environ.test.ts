import { describe, expect, test } from 'vitest';
import { environText } from '../../src/inspect/linux-environ.js';
import type { StatFields } from '../../src/inspect/proc-parse.js';

/** A stat line's fields as environText reads them: state, flags, env_end. */
function stat(state: string, flags: number, envEnd: number): StatFields {
  return { pid: 42, name: 'x', state, ppid: 1, pgid: 42, sid: 42, ttyNr: 0, tpgid: -1, startTime: 1, flags, envEnd };
}

/** Readers that give `texts` in turn (the last one ever after) and `stats` likewise, counting the reads. */
function readers(texts: (string | null)[], stats: (StatFields | null)[]) {
  const reads = { text: 0, stat: 0 };
  return {
    reads,
    text: () => texts[Math.min(reads.text++, texts.length - 1)]!,
    stat: () => stats[Math.min(reads.stat++, stats.length - 1)]!,
  };
}

describe('environText (an environment read past an execve)', () => {
  test('a non-empty read, a denied one: returned as they are, with no stat read', () => {
    const some = readers(['A=1\0'], []);
    expect(environText(some)).toBe('A=1\0');
    const denied = readers([null], []);
    expect(environText(denied)).toBeNull();
    expect([some.reads.stat, denied.reads.stat]).toEqual([0, 0]);
  });

  test('a zombie, a kernel thread, an exiting process, a process gone: empty at once', () => {
    for (const s of [stat('Z', 0, 0), stat('S', 0x00200000, 0), stat('R', 0x4, 0), null]) {
      const r = readers([''], [s]);
      expect(environText(r)).toBe('');
      expect(r.reads).toEqual({ text: 1, stat: 1 });
    }
  });

  test('empty with env_end set: read again five times, then believed', () => {
    const r = readers([''], [stat('S', 0, 140737488351200)]);
    expect(environText(r)).toBe('');
    expect(r.reads).toEqual({ text: 6, stat: 6 });
  });

  test('inside an execve (env_end 0): waited for, and read once the exec is done', () => {
    const r = readers(['', '', 'MARK=1\0'], [stat('R', 0, 0), stat('R', 0, 0)]);
    expect(environText(r)).toBe('MARK=1\0');
    expect(r.reads).toEqual({ text: 3, stat: 2 });
  });

  test('an exec that never ends is given up after 200 waits', () => {
    const r = readers([''], [stat('D', 0, 0)]);
    expect(environText(r)).toBe('');
    expect(r.reads.text).toBe(200);
  });
});
