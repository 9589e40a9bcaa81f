import type { RuleId } from '../report-types.js';
import { cwd } from './cwd.js';
import { launcherExit } from './launcher-exit.js';
import { logContents } from './log-contents.js';
import { newSession } from './new-session.js';
import { noControllingTty } from './no-controlling-tty.js';
import { noLeakedFds } from './no-leaked-fds.js';
import { notSessionLeader } from './not-session-leader.js';
import { pidfile } from './pidfile.js';
import { readyBeforeExit } from './ready-before-exit.js';
import { reparented } from './reparented.js';
import type { Rule } from './rule.js';
import { signalDispositionsDefault } from './signal-dispositions-default.js';
import { signalMaskEmpty } from './signal-mask-empty.js';
import { stderrTarget } from './stderr-target.js';
import { stdinDevnull } from './stdin-devnull.js';
import { stdoutTarget } from './stdout-target.js';
import { survivesHangup } from './survives-hangup.js';
import { umask } from './umask.js';

export type { FileId, Judgement, ResolvedExpectations, Rule, RuleContext } from './rule.js';

/** Every rule, in report order. */
export const RULES: readonly Rule[] = [
  launcherExit,
  readyBeforeExit,
  reparented,
  newSession,
  notSessionLeader,
  noControllingTty,
  umask,
  cwd,
  stdinDevnull,
  stdoutTarget,
  stderrTarget,
  noLeakedFds,
  signalMaskEmpty,
  signalDispositionsDefault,
  pidfile,
  survivesHangup,
  logContents,
];

export function ruleById(id: RuleId): Rule {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`unknown rule ${id}`);
  return rule;
}
