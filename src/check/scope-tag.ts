import { randomInt } from 'node:crypto';
import { messageQueueLimitsOf } from '../inspect/index.js';
import { caretakerTag } from './caretaker.js';

/*
 * A check's tag (Linux): a soft RLIMIT_MSGQUEUE of its own, which the launcher sets before it runs
 * the command (`ulimit -Sq`, launcher-script.ts). Resource limits pass through fork, exec, setsid
 * and a change of user, and no daemonizer touches this one (the bytes of POSIX message queues a
 * user may allocate; its default is 819,200 and the tags are a few below). So a daemon that
 * cleared its environment, and with it the check's marker, still says which check started it:
 * checks side by side in one process, whose orphans are all adopted by that process, then do not
 * take each other's daemons (adopted.ts). A process without a tag of this process's checks is
 * judged as before: the tag only rules out another check's process.
 */

/** The limit's usual value: the kernel gives init MQ_BYTES_MAX (819,200) as both soft and hard limit. */
const DEFAULT_MSGQUEUE = 819_200;
/**
 * The values a tag is drawn from, at random: checkers in other processes draw from the same
 * values, and one that dies has its caretaker kill every process carrying its tags
 * (caretaker.ts). Counting down from the top, as tags were, gave every checker the same first
 * tag: a SIGKILLed checker's caretaker killed another checker's launcher (a review). The limit
 * stays within 128 KiB of its usual value, which no program using message queues notices.
 */
const TAG_SPAN = 1 << 17;

const given = new Set<number>();

/**
 * A new tag for a check's launcher, below this process's own soft limit (so the launcher may
 * lower its limit to it); null off Linux or where the limit leaves no room.
 */
export function newScopeTag(): number | null {
  const own = messageQueueLimitsOf(process.pid);
  if (own === null) return null;
  const base = Math.min(own.soft, DEFAULT_MSGQUEUE);
  if (base <= 2 * TAG_SPAN) return null;
  let tag: number;
  do tag = base - 1 - randomInt(TAG_SPAN);
  while (given.has(tag));
  given.add(tag);
  caretakerTag(tag);
  return tag;
}

/** Whether `pid` carries a tag this process gave another check than the one tagged `own`. */
export function taggedForAnotherCheck(pid: number, own: number | null): boolean {
  const tag = messageQueueLimitsOf(pid)?.soft;
  return tag !== undefined && tag !== own && given.has(tag);
}
