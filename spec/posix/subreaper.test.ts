import { expect, test } from 'vitest';
import { py, report, start } from './support.js';

// prctl(2) PR_SET_CHILD_SUBREAPER (Linux 3.4): orphaned descendants are reparented to the nearest
// living subreaper ancestor instead of init. LTP prctl06/prctl08 area. The flag is set in a child
// program, so the test worker's own state is untouched.
test('a child subreaper adopts its orphaned grandchildren; without the flag they go elsewhere', async () => {
  const p = start(py(`
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
def orphan_parent(label):
    r, w = os.pipe()
    middle = os.fork()
    if middle == 0:
        grandchild = os.fork()
        if grandchild == 0:
            os.close(w)
            os.read(r, 1)                   # until the middle process is gone and reaped
            say(label, os.getppid()); os._exit(0)
        os._exit(0)
    os.waitpid(middle, 0)
    os.close(r)
    return w
say('subreaper', os.getpid())
w = orphan_parent('before'); os.close(w)   # not a subreaper yet: goes to whoever is above us
assert libc.prctl(36, 1, 0, 0, 0) == 0   # PR_SET_CHILD_SUBREAPER
w = orphan_parent('after')
os.close(w)
say('adopted', os.wait()[0] > 0)         # we can reap it: it became our child
`));
  const subreaper = await report<number>(p, 'subreaper');
  expect(await report(p, 'adopted')).toBe(true);
  expect(await report(p, 'after')).toBe(subreaper);
  expect(await report(p, 'before')).not.toBe(subreaper);
});
