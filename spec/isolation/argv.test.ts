import { NEUTRAL_CALLER } from '../../src/check/caller-spec.js';
import { describe, expect, it } from 'vitest';
import { checkArgv } from '../../src/isolation/check-argv.js';
import { dockerRunArgs } from '../../src/isolation/docker.js';
import { namespaceCommand } from '../../src/isolation/namespace.js';
import { cliPath, packageRoot } from '../../src/package-root.js';

describe('the isolated checker command line', () => {
  it('passes every option as the check flag of the contract, the command after --', () => {
    const argv = checkArgv(['/usr/bin/python3', 'd.py', '--x'], {
      profile: 'sysv',
      pidfile: '/w/daemon.pid',
      stdout: '/w/out.log',
      stderr: '/w/err.log',
      umask: 0o022,
      cwd: '/',
      readyLog: '^ready$',
      expectLog: 'x|y',
      allowIgnored: ['SIGPIPE', 'SIGXFSZ'],
      timeoutMs: 5000,
      repeat: 2,
    });
    expect(argv).toEqual([
      'check', '--json', '--isolation', 'host',
      '--profile', 'sysv', '--pidfile', '/w/daemon.pid', '--stdout', '/w/out.log', '--stderr', '/w/err.log',
      '--umask', '022', '--cwd', '/', '--ready-log', '^ready$', '--expect-log', 'x|y',
      '--allow-ignored', 'SIGPIPE,SIGXFSZ', '--timeout', '5', '--repeat', '2',
      '--', '/usr/bin/python3', 'd.py', '--x',
    ]);
  });

  it('passes the life-cycle options (--stop-timeout in ms, which the duration parser reads back exactly)', () => {
    const argv = checkArgv(['d'], { pidfile: '/w/d.pid', lifecycle: true, stopCommand: 'd stop', stopTimeoutMs: 1500, user: 'nobody', notifyFd: 3, notify: true });
    expect(argv).toEqual([
      'check', '--json', '--isolation', 'host', '--pidfile', '/w/d.pid', '--lifecycle', '--notify', '--stop-command', 'd stop', '--stop-timeout', '1500ms',
      '--user', 'nobody', '--notify-fd', '3', '--', 'd',
    ]);
  });

  it('passes --trace on, so the checker inside the isolation traces (issue 15.2)', () => {
    expect(checkArgv(['/bin/d'], { trace: true, strict: true })).toEqual(['check', '--json', '--isolation', 'host', '--strict', '--trace', '--', '/bin/d']);
    expect(checkArgv(['/bin/d'], { trace: false })).not.toContain('--trace');
  });

  it('refuses an inline profile without a file to carry it, and an empty command', () => {
    expect(() => checkArgv(['x'], { profile: { name: 'p' } })).toThrow(/profile file/);
    expect(checkArgv(['x'], { profile: { name: 'p' } }, { profile: '/tmp/p.json' })).toContain('/tmp/p.json');
    expect(() => checkArgv(['x'], { caller: { ...NEUTRAL_CALLER } })).toThrow(/caller file/);
    expect(checkArgv(['x'], { caller: { ...NEUTRAL_CALLER } }, { caller: '/tmp/c.json' })).toEqual(['check', '--json', '--isolation', 'host', '--caller-json', '/tmp/c.json', '--', 'x']);
    expect(() => checkArgv([], {})).toThrow(/no command/);
  });

  it('namespace: a PID namespace with its own /proc whose PID 1 is the checker, killed with unshare', () => {
    const cmd = namespaceCommand(['check']);
    expect(cmd.slice(0, 6)).toEqual(['unshare', '--pid', '--fork', '--kill-child', '--mount-proc', '--']);
    expect(cmd.slice(6)).toEqual([process.execPath, cliPath(), 'check']);
  });

  it('docker: no network, the project read-only, removed on exit, labelled, --init only when asked', () => {
    const spec = { name: 'n1', image: 'img', mounts: [{ host: '/tmp/w', container: '/work' }], env: { A: 'b' }, argv: ['check'] };
    const plain = dockerRunArgs({ ...spec, init: false });
    expect(plain.slice(0, 8)).toEqual(['run', '--rm', '--name', 'n1', '--label', 'daemonspec.check=1', '--network', 'none']);
    expect(plain).not.toContain('--init');
    expect(plain).toContain(`${packageRoot()}:/daemonspec:ro`);
    expect(plain).toContain('/tmp/w:/work');
    expect(plain).toContain('A=b');
    expect(plain.slice(-4)).toEqual(['img', 'node', '/daemonspec/bin/daemonspec.js', 'check']);
    expect(dockerRunArgs({ ...spec, init: true })).toContain('--init');
  });
});
