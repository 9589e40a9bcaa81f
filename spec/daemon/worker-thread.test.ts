import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, scene, tagged } from './support.js';

/*
 * daemonize() on a worker thread (a known gap of the 2026-12-04 reviews). It used to "work": the
 * re-run script made the worker again, the worker's copy of the environment carried the marker, the
 * daemon reported ready from it and then ended with the worker, while the original's process.exit(0)
 * ended only its worker and the script went on, exit 0 and no daemon. A worker cannot exit its
 * process, so the call is refused there, as a rejection the worker's caller sees.
 */
const LIB = pathToFileURL(join(ROOT, 'dist/bundle/index.js')).href;

describe('daemonize() on a worker thread', () => {
  it('is refused (EUSAGE, refused) with the fix, and nothing is started', () => {
    const s = scene();
    const script = s.path('w.mjs');
    writeFileSync(
      script,
      `import { Worker, isMainThread } from 'node:worker_threads';\nimport { daemonize } from ${JSON.stringify(LIB)};\n` +
        'if (isMainThread) {\n' +
        '  const w = new Worker(new URL(import.meta.url));\n' +
        "  w.on('error', (e) => { process.stdout.write(`${e.code} ${e.refused} ${e.message}`); process.exitCode = 3; });\n" +
        '} else {\n' +
        `  await daemonize({ pidfile: ${JSON.stringify(s.path('w.pid'))} });\n` +
        '}\n',
    );
    const r = spawnSync(process.execPath, [script], { env: s.env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(3);
    expect(r.stdout).toBe('EUSAGE true daemonize() was called on a worker thread, which cannot exit its process: call it on the main thread, at the top of the script');
    expect(existsSync(s.path('w.pid'))).toBe(false);
    expect(tagged(s.tag)).toEqual([]);
  });
});
