import { appendFileSync, closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogReader } from '../../src/daemon/readiness/log-reader.js';
import { testDir } from '../support/temp-dir.js';

/*
 * --ready-log reads the daemon's log while the daemon writes it, so a read can end inside a
 * character that takes several bytes in UTF-8: the line must still match once it is whole.
 */

function logAt(path: string, startSize: number): { path: string; fd: number; startSize: number; regular: boolean; created: boolean } {
  return { path, fd: -1, startSize, regular: true, created: false };
}

describe('the --ready-log reader', () => {
  it('a character split between two writes is read whole once its last byte is there', () => {
    const path = join(testDir('ds-log-reader-'), 'out.log');
    writeFileSync(path, 'before the start\n');
    const reader = new LogReader(logAt(path, 'before the start\n'.length));
    const check = Buffer.from('ready ✓\n');
    appendFileSync(path, check.subarray(0, check.length - 3)); // "ready " and the first byte of ✓
    expect(reader.lines()).toEqual(['ready ']);
    appendFileSync(path, check.subarray(check.length - 3, check.length - 2));
    expect(reader.lines()).toEqual(['ready ']);
    appendFileSync(path, check.subarray(check.length - 2));
    expect(reader.lines()).toEqual(['ready ✓']);
  });

  it('lines written before the start do not count; an incomplete last line is offered again as it grows', () => {
    const path = join(testDir('ds-log-reader-'), 'out.log');
    closeSync(openSync(path, 'w'));
    appendFileSync(path, 'old line\n');
    const reader = new LogReader(logAt(path, 9));
    appendFileSync(path, 'listen');
    expect(reader.lines()).toEqual(['listen']);
    appendFileSync(path, 'ing on 80\nnext');
    expect(reader.lines()).toEqual(['listening on 80', 'next']);
  });
});
