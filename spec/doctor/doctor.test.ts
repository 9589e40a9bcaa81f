import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCTOR_CHECK_IDS, doctor, formatDoctor } from '../../src/doctor/index.js';
import { isChildSubreaper, setChildSubreaper } from '../../src/ffi/libc.js';
import { probeDocker } from '../../src/doctor/isolation.js';

const linux = process.platform === 'linux';

describe('doctor() on this machine', () => {
  it('reports every probe, each with a status, a meaning and a fix exactly when not ok', async () => {
    const report = await doctor();
    expect(report.schemaVersion).toBe(1);
    expect(Object.keys(report.checks)).toEqual([...DOCTOR_CHECK_IDS]);
    for (const id of DOCTOR_CHECK_IDS) {
      const check = report.checks[id];
      expect(check.id).toBe(id);
      expect(['ok', 'warn', 'missing']).toContain(check.status);
      expect(check.meaning.length).toBeGreaterThan(10);
      if (check.status === 'ok') expect(check.fix).toBeNull();
      else expect(check.fix, `${id} is ${check.status} but says nothing about how to enable it`).toMatch(/\S/);
    }
    const total = report.summary.ok + report.summary.warn + report.summary.missing;
    expect(total).toBe(DOCTOR_CHECK_IDS.length);
  });

  it.runIf(linux)('finds what this Linux machine has: close_range, Umask in /proc, ptys, the real RLIMIT_NOFILE', async () => {
    const report = await doctor();
    const status = readFileSync('/proc/self/status', 'latin1');
    const umask = /^Umask:\s+(\d+)/m.exec(status)?.[1];
    expect(report.checks['proc-umask']).toMatchObject({ status: umask ? 'ok' : 'missing', value: umask ?? null });
    // glibc ≥ 2.34 on a kernel ≥ 5.9 exports close_range; the machines we run on have both.
    expect(report.checks['close-range'].status).toBe('ok');
    // docs/limits.md promises this line (issue 16.7): the version and the prebuilt binary loaded.
    expect(report.checks.koffi.status).toBe('ok');
    expect(report.checks.koffi.value).toMatch(/^koffi \d+\.\d+\.\d+, prebuilt binary from .*@koromix\/koffi-linux-/);
    expect(report.checks['spawn-chdir'].status).toBe('ok');
    expect(report.checks.pty.status).toBe('ok');
    expect(report.checks.pty.value).toMatch(/^\/dev\/pts\/\d+$/);
    const limits = readFileSync('/proc/self/limits', 'latin1');
    const [soft, hard] = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits)!.slice(1);
    expect(report.checks['rlimit-nofile'].value).toBe(`${soft} / ${hard}`);
    expect(report.checks.root.value).toBe(process.getuid!() === 0);
    expect(report.platform.libc).toMatch(/^(glibc|musl)$/);
    if (report.platform.libc === 'glibc') expect(report.checks.libc.value).toBe(`glibc ${report.platform.libcVersion}`);
  });

  // Touches process-global state of this worker (the subreaper flag); no other test in this file depends on it.
  it.runIf(linux)('leaves the subreaper flag as it found it, set or not', async () => {
    expect(isChildSubreaper()).toBe(false);
    expect((await doctor()).checks.subreaper.status).toBe('ok');
    expect(isChildSubreaper()).toBe(false);
    setChildSubreaper(true);
    try {
      expect((await doctor()).checks.subreaper.status).toBe('ok');
      expect(isChildSubreaper()).toBe(true);
    } finally {
      setChildSubreaper(false);
    }
  });

  it('says the image is missing for a name that cannot exist, with the build command as the fix', async () => {
    const { engine, image } = await probeDocker('daemonspec-doctor-test-no-such-image', 10_000);
    expect(image.status).toBe('missing');
    if (engine.status === 'ok') expect(image.fix).toContain('build-image.sh daemonspec-doctor-test-no-such-image');
    else expect(engine.fix).toMatch(/\S/);
  });

  it('prints one line per probe with ✓ ✗ or !, and no escape codes without colour', async () => {
    const report = await doctor();
    const text = formatDoctor(report, false);
    expect(text).not.toContain('\x1b[');
    const marked = text.split('\n').filter((line) => /^[✓✗!] /.test(line));
    expect(marked).toHaveLength(DOCTOR_CHECK_IDS.length);
    expect(formatDoctor(report, true)).toContain('\x1b[');
  });
});
