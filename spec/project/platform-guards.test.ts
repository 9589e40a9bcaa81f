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
  });

  test('this tree: the portable specs written for a Mac are not Linux-only; every /proc reader is', () => {
    const list = linuxOnlySpecs(ROOT);
    for (const portable of ['spec/inspect/portable.test.ts', 'spec/inspect/darwin-marshalling.test.ts', 'spec/check/ctty.test.ts', 'spec/daemon/darwin-decisions.test.ts', 'spec/daemon/notify-nonblocking.test.ts', 'spec/check/caller-fds.test.ts']) {
      expect(list.has(portable), portable).toBe(false);
    }
    expect(list.get('spec/posix/hangup.test.ts')).toMatch(/statFields/);
    expect(list.get('spec/fixtures/manifests.test.ts')).toMatch(/reads \/proc/);
    for (const [file] of list) expect(readFileSync(`${ROOT}/${file}`, 'utf8')).not.toContain('process.platform');
  });
});
