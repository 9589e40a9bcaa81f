/** The random part of the names the daemonizer makes in shared directories (pidfile temp, notify socket). */
import { describe, expect, it } from 'vitest';
import { randomHex } from '../../src/random-hex.js';

describe('randomHex', () => {
  it('gives the asked number of bytes as lower-case hex', () => {
    for (const bytes of [1, 4, 6, 32]) expect(randomHex(bytes)).toMatch(new RegExp(`^[0-9a-f]{${2 * bytes}}$`));
  });

  it('does not repeat itself (2,000 draws of 8 bytes)', () => {
    const draws = Array.from({ length: 2000 }, () => randomHex(8));
    expect(new Set(draws).size).toBe(draws.length);
    // Every nibble value turns up: not a constant or a counter dressed as hex.
    expect(new Set(draws.join('')).size).toBe(16);
  });
});
