/*
 * Reading a process's environment from /proc, for the specs (./proc.ts) and the benchmarks
 * (scripts/bench/processes.mjs), which both find what they started by an environment tag. Plain
 * JS, so that Node runs it without a build; its types are in environ.d.mts. Linux only.
 */
import { readFileSync } from 'node:fs';

/** PF_KTHREAD in stat's flags: a kernel thread, whose environment is always empty. */
const PF_KTHREAD = 0x00200000;
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
    const text = readFileSync(`/proc/${pid}/environ`, 'latin1');
    if (text !== '') return text.split('\0');
    const stat = statFields(pid);
    const alive = stat[0] !== 'Z' && (Number(stat[6]) & PF_KTHREAD) === 0;
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
