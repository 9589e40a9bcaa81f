import type { RuleId } from '../report-types.js';
import { credentials } from './credentials.js';
import { cwd } from './cwd.js';
import { launcherExit } from './launcher-exit.js';
import { logContents } from './log-contents.js';
import { newSession } from './new-session.js';
import { noCapabilities } from './no-capabilities.js';
import { noControllingTty } from './no-controlling-tty.js';
import { noLeakedFds } from './no-leaked-fds.js';
import { notSessionLeader } from './not-session-leader.js';
import { notifyFdReady } from './notify-fd-ready.js';
import { notifyReady } from './notify-ready.js';
import { staysInForeground } from './stays-in-foreground.js';
import { pidfile } from './pidfile.js';
import { pidfileComplete } from './pidfile-complete.js';
import { pidfileRemoved } from './pidfile-removed.js';
import { readyBeforeExit } from './ready-before-exit.js';
import { reparented } from './reparented.js';
import type { Rule } from './rule.js';
import { secondStartRefused } from './second-start-refused.js';
import { signalDispositionsDefault } from './signal-dispositions-default.js';
import { signalMaskEmpty } from './signal-mask-empty.js';
import { stalePidfileRecovered } from './stale-pidfile-recovered.js';
import { stderrTarget } from './stderr-target.js';
import { stdinDevnull } from './stdin-devnull.js';
import { stdoutTarget } from './stdout-target.js';
import { stopsOnSigterm } from './stops-on-sigterm.js';
import { survivesHangup } from './survives-hangup.js';
import { umask } from './umask.js';

export type { FileId, Judgement, ResolvedExpectations, Rule, RuleContext } from './rule.js';

/** The rules of one start (START_RULE_IDS), in report order: judged by every check. */
export const START_RULES: readonly Rule[] = [
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

/** The rules of the later life (LIFECYCLE_RULE_IDS), in report order: judged with `--lifecycle`. */
export const LIFECYCLE_RULES: readonly Rule[] = [secondStartRefused, stopsOnSigterm, pidfileRemoved, stalePidfileRecovered, pidfileComplete];

/** The rules of a privilege drop (USER_RULE_IDS), in report order: judged with `--user NAME`. */
export const USER_RULES: readonly Rule[] = [credentials, noCapabilities];

/** The readiness protocols (READINESS_RULE_IDS): judged with `--notify-fd N` and `--notify`. */
export const READINESS_RULES: readonly Rule[] = [notifyFdReady, notifyReady];

/** A new-style service (`--profile systemd`): judged in place of the start rules, with notify-ready and stops-on-sigterm. */
export const SERVICE_RULES: readonly Rule[] = [staysInForeground, notifyReady, stopsOnSigterm];

/** Every rule, in report order. */
export const RULES: readonly Rule[] = [...START_RULES, ...LIFECYCLE_RULES, ...USER_RULES, ...READINESS_RULES, staysInForeground];

export function ruleById(id: RuleId): Rule {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`unknown rule ${id}`);
  return rule;
}
