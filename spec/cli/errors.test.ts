import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { skipUnlessCapable } from '../posix/support.js';
import { runCli } from './run-cli.js';

/* Every command's errors take one path (src/cli/main.ts): one line with the fix, then the detail. */

const noDockerCli = spawnSync('docker', ['--version'], { timeout: 10_000 }).error ? 'the docker command is not installed' : null;

describe('the common error path', () => {
  it("check keeps an error's detail: an isolated check's stderr reaches the user, exit 2", async (context) => {
    skipUnlessCapable(context, noDockerCli);
    const result = await runCli(['check', '--isolation', 'docker', '--', '/bin/true'], { DOCKER_HOST: 'unix:///nonexistent/daemonspec-test.sock' });
    expect(result.code, result.stderr).toBe(2);
    const [first, ...detail] = result.stderr.trimEnd().split('\n');
    expect(first).toMatch(/^daemonspec: no Docker engine answers; start one with /);
    expect(detail.join('\n')).toContain('/nonexistent/daemonspec-test.sock');
  });
});
