import type { NotifyMessage } from '../readiness/notify-socket.js';
import { type Judgement, type Rule, skip } from './rule.js';

/** The first message that says READY=1, with the last MAINPID= said up to it. */
function readiness(messages: readonly NotifyMessage[]): { ready: NotifyMessage; mainPid: number | null } | null {
  let mainPid: number | null = null;
  for (const message of messages) {
    const named = message.fields.MAINPID;
    if (named !== undefined && /^\d+$/.test(named)) mainPid = Number(named);
    if (message.fields.READY === '1') return { ready: message, mainPid };
  }
  return null;
}

/** STATUS= and ERRNO= as the command sent them, for the report. */
function shown(messages: readonly NotifyMessage[]): { status?: string; errno?: string } {
  const last = (name: string): string | undefined => messages.map((m) => m.fields[name]).filter((v) => v !== undefined).pop();
  const status = last('STATUS');
  const errno = last('ERRNO');
  return { ...(status !== undefined ? { status } : {}), ...(errno !== undefined ? { errno } : {}) };
}

function describeErrno(said: { status?: string; errno?: string }): string {
  return `ERRNO=${said.errno}${said.status !== undefined ? ` (STATUS=${said.status})` : ''}`;
}

/** Who sent READY=1, judged against the process that must have: the daemon, or the service's own process. */
function judgeSender(found: { ready: NotifyMessage; mainPid: number | null }, main: { pid: number; what: string }, unknownSender: string | null, base: { expected: unknown; actual: unknown }): Judgement {
  const { ready, mainPid } = found;
  if (ready.senderPid === main.pid) return { status: 'pass', ...base, message: `READY=1 came from ${main.what} (pid ${main.pid})` };
  if (mainPid === main.pid) return { status: 'pass', ...base, message: `READY=1 arrived, and MAINPID= named ${main.what} (pid ${main.pid})` };
  if (mainPid !== null) return { status: 'fail', ...base, message: `MAINPID=${mainPid} names another process than ${main.what} (pid ${main.pid}): a supervisor would watch the wrong process` };
  if (ready.senderPid === null) return skip(`READY=1 arrived, but ${unknownSender ?? 'its sender is not known'}, and no MAINPID= was sent`);
  return {
    status: 'fail',
    ...base,
    message: `READY=1 came from pid ${ready.senderPid}, not ${main.what} (pid ${main.pid}), and no MAINPID= named it: systemd (NotifyAccess=main) ignores such a message`,
  };
}

export const notifyReady: Rule = {
  id: 'notify-ready',
  title: 'Readiness over NOTIFY_SOCKET (sd_notify): READY=1 from the daemon before the command returns',
  reference:
    'sd_notify(3) and systemd.service(5) Type=notify: the service sends READY=1 on the datagram socket named by ' +
    '$NOTIFY_SOCKET once it is ready; the supervisor trusts a message from the main process only (NotifyAccess=main), ' +
    'or learns the main process from MAINPID=. ERRNO= reports a failure, STATUS= a human-readable state. Judged from ' +
    'outside: the checker owns the socket, and the kernel names each sender (SCM_CREDENTIALS).',
  fix: 'Send READY=1 from the daemon itself (or send MAINPID=<daemon pid> with it) once it can serve, and let the original exit only after that; on a failed start send ERRNO= and exit non-zero.',
  judge({ notify, daemon, launcher }) {
    if (notify === undefined) return skip('no NOTIFY_SOCKET given (--notify)');
    const { atExit, settled, unknownSender, mainProcess } = notify;
    const said = shown(settled.messages);
    const expected = { ready: 'READY=1 before the command returns', sender: mainProcess ? 'the service process' : 'the daemon' };
    const actual = { atExit: atExit?.messages ?? null, later: settled.messages, ...said };
    const base = { expected, actual };
    if (mainProcess) {
      const found = readiness(settled.messages);
      if (found === null) return { status: 'fail', ...base, message: said.errno !== undefined ? `the service reported a failed start: ${describeErrno(said)}` : 'no READY=1 arrived on NOTIFY_SOCKET' };
      return judgeSender(found, { pid: mainProcess.pid, what: "the service's own process" }, unknownSender, base);
    }
    if (atExit === null) return { status: 'fail', ...base, message: 'the command never returned, so READY=1 never came before a return' };
    const found = readiness(atExit.messages);
    if (found === null) {
      if (said.errno !== undefined) return { status: 'fail', ...base, message: `a failed start: ${describeErrno(said)}${launcher.exitCode === 0 ? ', yet the command exited 0' : ''}` };
      if (readiness(settled.messages) !== null) return { status: 'fail', ...base, message: 'READY=1 arrived only after the command had returned: the caller was told "started" too early' };
      return { status: 'fail', ...base, message: 'no READY=1 arrived on NOTIFY_SOCKET before the command returned' };
    }
    if (daemon === null) return { status: 'fail', ...base, message: 'READY=1 arrived, but no daemon was found for it to name' };
    return judgeSender(found, { pid: daemon.pid, what: 'the daemon' }, unknownSender, base);
  },
};
