import { isRunning } from '../../inspect/index.js';
import type { CleanupResult } from '../report-types.js';
import type { SecondStartObservation } from './observations.js';
import { pidfileText } from './read-pidfile.js';
import type { LifecycleRequest } from './request.js';
import { finish, settle, startAgain } from './start-again.js';

/**
 * `second-start-refused`: while the first daemon runs, the same command again. Whatever that
 * start leaves running once it settled is a second daemon; the checker stops it.
 */
export async function secondStart(
  request: LifecycleRequest,
  first: { pid: number; startTime: number },
): Promise<{ observation: SecondStartObservation; cleanup: CleanupResult }> {
  const pidfileBefore = pidfileText(request.pidfile);
  const start = await startAgain(request);
  let candidates: number[] = [];
  try {
    // No pidfile here: it names the first daemon, which is not this start's.
    candidates = (await settle(start, request.timeoutMs)).candidates;
    const observation: SecondStartObservation = {
      start: start.observation,
      firstAlive: isRunning(first.pid, first.startTime),
      pidfileBefore,
      pidfileAfter: pidfileText(request.pidfile),
      secondDaemons: candidates,
    };
    return { observation, cleanup: await finish(start, candidates) };
  } catch (error) {
    await finish(start, candidates).catch(() => undefined);
    throw error;
  }
}
