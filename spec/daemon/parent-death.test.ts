import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { knowsPdeathsig, parentDeathPrefix } from '../../src/daemon/parent-death.js';

/*
 * Whether setpriv can tie the outer sh's life to its starter's is read from the binary, not run:
 * the answer must be the one running it gives.
 */
const SETPRIV = '/usr/bin/setpriv';

describe.runIf(process.platform === 'linux' && existsSync(SETPRIV))('the parent-death prefix', () => {
  it("reading setpriv's binary says what running `setpriv --pdeathsig KILL` says", () => {
    const ran = spawnSync(SETPRIV, ['--pdeathsig', 'KILL', '--', '/bin/true']);
    expect(knowsPdeathsig(readFileSync(SETPRIV))).toBe(ran.status === 0);
  });

  it('a binary without the option is not taken for one that has it', () => {
    expect(knowsPdeathsig(readFileSync('/bin/sh'))).toBe(false);
  });

  it('on this machine, the outer sh is started through setpriv --pdeathsig KILL', async () => {
    expect(await parentDeathPrefix()).toEqual([SETPRIV, '--pdeathsig', 'KILL', '--']);
  });
});
