import type { StatFields } from './proc-parse.js';

/** PF_KTHREAD in stat's flags: a kernel thread, whose environment is always empty. */
const PF_KTHREAD = 0x00200000;
/** PF_EXITING: the process is ending; its memory (and env_end with it) is gone before it is a zombie. */
const PF_EXITING = 0x00000004;
/** 1 ms waits for an execve to finish before an empty environment is believed. */
const EXEC_WAITS = 200;
/** Empty reads with env_end set (the exec done) before the environment counts as really empty. */
const SETTLED_REREADS = 5;

export interface EnvironReaders {
  /** /proc/PID/environ's text: '' for none or a process gone, null when denied. */
  text(): string | null;
  stat(): StatFields | null;
}

/**
 * The environment text of a live process, read past an execve. While the exec replaces the image,
 * /proc/PID/environ reads empty and stat's env_end is 0 (proc's environ_read returns nothing while
 * `!mm->env_end`): such a process is read again after 1 ms, until its exec has finished. An exec
 * between the open and the read also reads empty, env_end set by then (the open file holds the
 * old image's memory, released): read again a few times before a process's environment counts as
 * empty. Measured: 2 to 7 in 100 reads of a process that execs in a loop came back empty without this.
 */
export function environText(read: EnvironReaders): string | null {
  let settledEmpty = 0;
  for (let attempt = 0; attempt < EXEC_WAITS; attempt++) {
    const text = read.text();
    if (text !== '') return text;
    const stat = read.stat();
    if (stat === null || stat.state === 'Z' || (stat.flags & (PF_KTHREAD | PF_EXITING)) !== 0) return '';
    if (stat.envEnd !== 0) {
      // Read again at once: each such race is µs wide, and waiting would give the next exec its chance.
      if (++settledEmpty > SETTLED_REREADS) return '';
      continue;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
  }
  return '';
}
