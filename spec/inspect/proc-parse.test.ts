import { describe, expect, test } from 'vitest';
import { deviceMajor, deviceMinor, parseFdinfoFlags, parseStat, parseStatus, signalsFromMask, splitNul } from '../../src/inspect/proc-parse.js';

describe('/proc parsers', () => {
  test('stat: the name may hold spaces and parentheses; fields are counted after the LAST )', () => {
    // Fields 25 to 52 as the kernel prints them since 3.5, env_end (field 51) set.
    const tail = Array.from({ length: 28 }, (_, i) => (i + 25 === 51 ? '140737488351200' : '0')).join(' ');
    const line = `4242 (evil) R 1 (x) S 7 4242 4242 34817 4242 4194560 0 0 0 0 0 0 0 0 20 0 1 0 987654 0 0 ${tail}`;
    expect(parseStat(line)).toEqual({
      pid: 4242,
      name: 'evil) R 1 (x',
      state: 'S',
      ppid: 7,
      pgid: 4242,
      sid: 4242,
      ttyNr: 34817,
      tpgid: 4242,
      startTime: 987654,
      flags: 4194560,
      envEnd: 140737488351200,
    });
  });

  test('signal masks: bit n-1 is signal n, any width', () => {
    expect(signalsFromMask('0000000000000000')).toEqual([]);
    expect(signalsFromMask('0000000000000202')).toEqual([2, 10]);
    expect(signalsFromMask('8000000000000001')).toEqual([1, 64]);
    expect(signalsFromMask('0000000180000000')).toEqual([32, 33]);
    expect(() => signalsFromMask('zz')).toThrow();
  });

  test('status: umask, masks, ids, groups, threads, tgid', () => {
    const text = 'Name:\tx\nUmask:\t0027\nTgid:\t9\nUid:\t1\t2\t3\t4\nGid:\t5\t6\t7\t8\nGroups:\t10 20 \nThreads:\t3\nSigBlk:\t0000000000000200\nSigIgn:\t0000000000001000\nSigCgt:\t0000000000004002\n';
    expect(parseStatus(text)).toEqual({
      umask: 0o27,
      blocked: [10],
      ignored: [13],
      caught: [2, 15],
      uids: [1, 2, 3, 4],
      gids: [5, 6, 7, 8],
      groups: [10, 20],
      threads: 3,
      tgid: 9,
    });
    expect(parseStatus('Groups:\t\n').umask).toBeNull();
    expect(parseStatus('Groups:\t\n').groups).toEqual([]);
  });

  test('fdinfo flags are octal; flag bits are masked, never compared whole', () => {
    expect(parseFdinfoFlags('pos:\t0\nflags:\t02102001\nmnt_id:\t24\n')).toBe(0o2102001);
    expect(parseFdinfoFlags('pos:\t0\n')).toBeNull();
  });

  test('device numbers: tty_nr for /dev/pts/1 and a high minor', () => {
    expect([deviceMajor(34817), deviceMinor(34817)]).toEqual([136, 1]);
    const dev = (136 << 8) | (300 & 0xff) | ((300 & ~0xff) << 12);
    expect([deviceMajor(dev), deviceMinor(dev)]).toEqual([136, 300]);
  });

  test('NUL lists drop the trailing terminator only', () => {
    expect(splitNul('')).toEqual([]);
    expect(splitNul('a\0\0b\0')).toEqual(['a', '', 'b']);
  });
});
