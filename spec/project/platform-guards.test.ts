import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { linuxOnlyReason, linuxOnlySpecs } from '../support/linux-only.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('Linux-only spec files are told apart from portable ones (issue 18.7)', () => {
  test('the classifier: direct /proc reads and /proc helpers are Linux-only; a /proc string in data is not; a file guarding itself decides', () => {
    expect(linuxOnlyReason("const s = readFileSync(`/proc/${pid}/status`, 'latin1');", 'spec/daemon/x.test.ts')).toBe('reads /proc directly');
    expect(linuxOnlyReason("import { proc, scene } from './support.js';", 'spec/daemon/x.test.ts')).toMatch(/uses proc\(\)/);
    expect(linuxOnlyReason("import { start, statFields } from '../posix/support.js';", 'spec/daemon/x.test.ts')).toMatch(/uses statFields\(\)/);
    expect(linuxOnlyReason("import { scene, tagged } from './support.js';", 'spec/daemon/x.test.ts')).toBeNull();
    expect(linuxOnlyReason("import { fixture } from '../fixtures/support.js';", 'spec/daemon/x.test.ts')).toMatch(/fixtures\/support\.js/);
    expect(linuxOnlyReason("import { fixture } from './support.js';", 'spec/fixtures/x.test.ts')).toMatch(/reads \/proc/);
    expect(linuxOnlyReason("expect(message).toContain('/proc/4242/status Umask: 0077');", 'spec/daemon/x.test.ts')).toBeNull();
    expect(linuxOnlyReason("describe.runIf(process.platform === 'linux')('x', () => { readFileSync('/proc/self/stat'); });", 'spec/daemon/x.test.ts')).toBeNull();
    // Python in a test's strings: /proc reads, the prelude's stat(), prctl.
    expect(linuxOnlyReason("const P = `st = open('/proc/self/status').read()`;", 'spec/check/x.test.ts')).toBe('its Python reads /proc');
    expect(linuxOnlyReason("print('open:', *os.listdir('/proc/self/fd'))", 'spec/posix/x.test.ts')).toBe('its Python reads /proc');
    expect(linuxOnlyReason("import { py, start } from './support.js';\nstart(py('say(\"s\", stat())'));", 'spec/posix/x.test.ts')).toMatch(/prelude's stat\(\)/);
    expect(linuxOnlyReason("import { py, start } from './support.js';\nstart(py('say(\"pid\", os.getpid())'));", 'spec/posix/x.test.ts')).toBeNull();
    expect(linuxOnlyReason("import { start } from '../other/support.js';\nconst s = stat();", 'spec/posix/x.test.ts')).toBeNull();
    expect(linuxOnlyReason('assert libc.prctl(36, 1, 0, 0, 0) == 0', 'spec/posix/x.test.ts')).toMatch(/prctl/);
  });

  test('this tree: the portable specs written for a Mac are not Linux-only; every /proc reader is', () => {
    const list = linuxOnlySpecs(ROOT);
    for (const portable of ['spec/inspect/portable.test.ts', 'spec/inspect/darwin-marshalling.test.ts', 'spec/check/ctty.test.ts', 'spec/daemon/darwin-decisions.test.ts', 'spec/daemon/notify-nonblocking.test.ts', 'spec/check/caller-fds.test.ts']) {
      expect(list.has(portable), portable).toBe(false);
    }
    expect(list.get('spec/posix/hangup.test.ts')).toMatch(/statFields/);
    expect(list.get('spec/fixtures/manifests.test.ts')).toMatch(/reads \/proc/);
    expect(list.get('spec/posix/controlling-terminal.test.ts')).toMatch(/prelude's stat\(\)/);
    expect(list.get('spec/posix/session.test.ts')).toMatch(/prelude's stat\(\)/);
    expect(list.get('spec/posix/exec-inheritance.test.ts')).toBe('its Python reads /proc');
    expect(list.get('spec/check/launcher.test.ts')).toMatch(/\/proc/);
    expect(list.get('spec/posix/subreaper.test.ts')).toMatch(/prctl/);
    // Guarded in the file itself, with the reason (V8's MADV_DONTFORK heap is a Linux matter).
    expect(list.has('spec/posix/fork-from-node.test.ts')).toBe(false);
    expect(readFileSync(`${ROOT}/spec/posix/fork-from-node.test.ts`, 'utf8')).toMatch(/runIf\(process\.platform === 'linux'\)/);
    for (const [file] of list) expect(readFileSync(`${ROOT}/${file}`, 'utf8')).not.toContain('process.platform');
  });
});
