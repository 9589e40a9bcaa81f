import { dnsPromisesModule, netModule } from '../../builtins-on-use.js';
import { DaemonspecError } from '../../errors.js';
import type { ReadinessContext, ReadinessStrategy } from './strategy.js';
import { pollAfterExec } from './watch.js';

const INTERVAL_MS = 20;
const CONNECT_TIMEOUT_MS = 1000;

/** Whether host:port accepts a TCP connection now (closed at once). */
export function accepts(host: string, port: number, timeoutMs = CONNECT_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netModule().connect({ host, port });
    const done = (result: boolean): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** How long the name lookup before the start may take; a slower resolver is left to the wait itself. */
const LOOKUP_MS = 2000;

/**
 * Whether the resolver says that a host name has no address (ENOTFOUND, ENODATA). An address, a
 * name that resolves, a lookup that fails otherwise (EAI_AGAIN: a resolver not up yet) or one
 * slower than LOOKUP_MS is not refused: the wait for a connection then decides.
 */
async function hasNoAddress(host: string): Promise<boolean> {
  if (netModule().isIP(host) !== 0) return false;
  const { lookup } = dnsPromisesModule();
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => {
    timer = setTimeout(() => resolve('slow'), LOOKUP_MS);
  });
  try {
    const code = await Promise.race([lookup(host).then(() => null, (error: NodeJS.ErrnoException) => error.code ?? null), slow]);
    return code === 'ENOTFOUND' || code === 'ENODATA';
  } finally {
    clearTimeout(timer);
  }
}

/** `host:port` as written back to the user (`[::1]:8080`). */
function address(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * `--ready-tcp`: ready once host:port accepts a connection. A port that accepts connections before
 * the start would say nothing about this daemon (another process listens there: the very case of a
 * server that dies at once on a busy port), so the start is refused then, before anything starts.
 */
export function tcpReadiness(host: string, port: number): ReadinessStrategy {
  const where = address(host, port);
  return {
    hint: ` (accept connections on ${where})`,
    async before(): Promise<void> {
      if (await hasNoAddress(host)) {
        throw new DaemonspecError('EUSAGE', `--ready-tcp ${where}: the host ${host} has no address here (ENOTFOUND): give a name or an address this machine resolves, such as 127.0.0.1`);
      }
      if (await accepts(host, port)) {
        throw new DaemonspecError(
          'EUSAGE',
          `--ready-tcp ${where}: something already accepts connections there before the start, so a connection would not show that this daemon is ready: stop what listens there (\`ss -ltnp\` names it), or give the address this daemon will listen on`,
        );
      }
    },
    async waitReady(ctx: ReadinessContext): Promise<void> {
      await pollAfterExec(ctx, () => accepts(host, port, Math.max(1, Math.min(CONNECT_TIMEOUT_MS, ctx.deadline - Date.now()))), INTERVAL_MS);
    },
  };
}
