import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { skipUnlessCapable } from '../posix/support.js';

/** Why these errors cannot be provoked here (they need Linux, and root to drop to nobody), or null. */
const missing =
  process.platform !== 'linux' ? `isolation backends are Linux only (platform ${process.platform})`
  : process.getuid?.() !== 0 ? 'needs root: the namespace error is provoked by dropping to nobody with setpriv'
  : null;

/**
 * The environment errors of the isolated backends, each from a child process that cannot
 * have what the backend needs (built dist/ is imported, as a user's program would).
 */
function isolatedError(isolation: string, prefix: string[] = [], env: NodeJS.ProcessEnv = {}): { code?: string; message?: string } {
  const program = [
    "const { runIsolated } = await import(process.argv[1] + '/dist/isolation/index.js');",
    `try { await runIsolated(${JSON.stringify(isolation)}, { command: ['/bin/true'], options: { timeoutMs: 5000 } }); console.log('{}'); }`,
    'catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }',
  ].join('\n');
  const [file, ...args] = [...prefix, process.execPath, '--input-type=module', '-e', program, packageRoot()];
  const run = spawnSync(file!, args, {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ...env },
  });
  return JSON.parse(run.stdout.trim().split('\n').pop() || '{}') as { code?: string; message?: string };
}

describe('isolation errors say what to do', () => {
  it('namespace without CAP_SYS_ADMIN (as nobody): EUNSUPPORTED, run as root', (context) => {
    skipUnlessCapable(context, missing);
    const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--'];
    expect(isolatedError('namespace', asNobody)).toMatchObject({
      code: 'EUNSUPPORTED',
      message: expect.stringMatching(/needs root \(CAP_SYS_ADMIN\)/),
    });
  });

  it('docker without an engine: EUNSUPPORTED, start one with scripts/docker/setup-engine.sh', (context) => {
    skipUnlessCapable(context, missing);
    expect(isolatedError('docker', [], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' })).toMatchObject({
      code: 'EUNSUPPORTED',
      message: expect.stringMatching(/scripts\/docker\/setup-engine\.sh/),
    });
  });
});
