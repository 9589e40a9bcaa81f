import { describe, expect, it } from 'vitest';
import { currentLibc } from '../../src/ffi/platform.js';

/* The C library is told from what is mapped into the process; Node's own report says the same. */
describe.runIf(process.platform === 'linux')('currentLibc on Linux', () => {
  it("agrees with process.report's glibc runtime version", () => {
    const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
    expect(currentLibc()).toBe(header?.glibcVersionRuntime ? 'glibc' : 'musl');
  });
});
