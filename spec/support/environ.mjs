/*
 * Reading a process's environment from /proc, for the specs (./proc.ts) and the benchmarks
 * (scripts/bench/processes.mjs), which both find what they started by an environment tag. Plain
 * JS, so that Node runs it without a build; its types are in environ.d.mts. Linux only.
 * It does what src/inspect/linux-environ.ts does, on purpose apart from it: the tests' own
 * reading of /proc (./proc.ts) is how the leftover guard and the specs judge the checker, which
 * reads through src/inspect; a defect shared by both would hide itself.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

/** PF_KTHREAD in stat's flags: a kernel thread, whose environment is always empty. */
const PF_KTHREAD = 0x00200000;
/** PF_EXITING: the process is ending; its memory (and env_end with it) is gone before it is a zombie. */
const PF_EXITING = 0x00000004;
const EXEC_RETRIES = 200;
const ENV_END = 51 - 3; // statFields() starts at field 3 (state)
/** Empty reads with env_end set before an environment counts as really empty (each race is µs wide). */
const SETTLED_REREADS = 5;

/**
 * Fields of /proc/PID/stat after the command name: [state, ppid, pgrp, session, tty_nr, tpgid, flags, ...].
 * @param {number} pid
 * @returns {string[]}
 */
export function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

let buffer = Buffer.allocUnsafe(64 * 1024);

/**
 * A /proc list file in ONE read(2) (as src/inspect/linux.ts does): the kernel holds the process's
 * memory for one read only, so an exec between two of readFileSync's 8 KiB reads cut it short.
 * @param {string} path
 * @returns {string}
 */
function readInOne(path) {
  for (;;) {
    const fd = openSync(path, 'r');
    let n;
    try {
      n = readSync(fd, buffer, 0, buffer.length, 0);
    } finally {
      closeSync(fd);
    }
    if (n < buffer.length) return buffer.toString('latin1', 0, n);
    buffer = Buffer.allocUnsafe(buffer.length * 4);
  }
}

/**
 * The environment of a process. During execve the new image's environment is not in place yet:
 * /proc/PID/environ reads empty and stat's env_end (field 51) is 0 (proc's environ_read returns
 * nothing while `!mm->env_end`). Such a process, not a zombie or kernel thread, is read again
 * until its exec completes; a process whose environment really is empty has env_end set.
 * An exec that falls between the open and the read also reads empty (the file holds the old
 * image's mm, released by then), with env_end already set: such a read is tried again, a few times.
 * (src/inspect/linux-environ.ts does the same for the checker; this copy runs unbuilt.)
 * Throws when the process is gone or not readable.
 * @param {number} pid
 * @returns {string[]}
 */
export function environOf(pid) {
  let settledEmpty = 0;
  for (let attempt = 0; attempt < EXEC_RETRIES; attempt++) {
    const text = readInOne(`/proc/${pid}/environ`);
    if (text !== '') return text.split('\0');
    const stat = statFields(pid);
    const alive = stat[0] !== 'Z' && (Number(stat[6]) & (PF_KTHREAD | PF_EXITING)) === 0;
    if (!alive) return [''];
    if (stat[ENV_END] !== '0') {
      // Set: really empty, or an exec between the open and the read (or between the read and stat).
      // Read again at once: each such race is µs wide, and waiting would give the next exec its chance.
      if (++settledEmpty > SETTLED_REREADS) return [''];
      continue;
    }
    // No event ends an exec that can be waited on from outside: wait 1 ms, at most 200 times.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
  }
  return [];
}
