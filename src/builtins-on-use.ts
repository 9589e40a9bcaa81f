import { createRequire } from 'node:module';

/*
 * Node's own modules that are not in its start-up snapshot and that only some paths need, loaded
 * on first use (issue 14.1). Measured here: node:net and its stream modules take about 6 ms to
 * load, node:child_process 3-4 ms; a plain `daemonspec run` needs neither (the readiness pipe is
 * read without net: src/daemon/status-channel.ts). Loaded with require(), not
 * import(): the CLI's code runs compiled from its code cache (src/cli/launcher.ts), where Node
 * 20 has no dynamic import without an experimental warning.
 */
const require = createRequire(import.meta.url);

export function netModule(): typeof import('node:net') {
  return require('node:net') as typeof import('node:net');
}

export function childProcessModule(): typeof import('node:child_process') {
  return require('node:child_process') as typeof import('node:child_process');
}

export function dnsPromisesModule(): typeof import('node:dns/promises') {
  return require('node:dns/promises') as typeof import('node:dns/promises');
}

/** Whether this code runs on the main thread (node:worker_threads, which only daemonize() asks). */
export function onMainThread(): boolean {
  return (require('node:worker_threads') as typeof import('node:worker_threads')).isMainThread;
}
