import { describe, expect, it } from 'vitest';
import { runsText } from '../../src/fuzz/render.js';

type Phase = 'search' | 'shrink' | 'replay';
const trials = (phases: Phase[]) => phases.map((phase) => ({ words: '', failing: [], phase, durationMs: 1 }));

describe("fuzz's run count in words", () => {
  it('says how many runs searched and how many shrank: --runs 4 and 17 shrinking read as 21 runs before (found by a new-user trial)', () => {
    expect(runsText({ runs: 21, trials: trials([...Array<Phase>(4).fill('search'), ...Array<Phase>(17).fill('shrink')]) })).toBe('21 runs (4 searching, 17 shrinking)');
  });

  it('is the plain count when nothing was shrunk', () => {
    expect(runsText({ runs: 4, trials: trials(['search', 'search', 'search', 'search']) })).toBe('4 runs');
    expect(runsText({ runs: 1, trials: trials(['replay']) })).toBe('1 run');
  });
});
