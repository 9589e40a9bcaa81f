// A vitest run of its own for spec/project/leftover-guard.test.ts: the project's global setup
// (the leftover guard) around one test file chosen on the command line.
export default {
  test: {
    include: ['*.fixture.ts'],
    pool: 'forks',
    globalSetup: ['../global-setup.ts'],
    reporters: ['default'],
  },
};
