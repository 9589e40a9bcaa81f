import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/index.js';
import { mixedReport } from './sample-report.js';

describe('renderJson', () => {
  it('round-trips the report, schema version 2, ending with a newline', () => {
    const r = mixedReport();
    const text = renderJson(r);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(r)));
    expect(JSON.parse(text).schemaVersion).toBe(2);
  });

  it('has a stable key order whatever order the report was built in', () => {
    const r = mixedReport();
    const shuffled = Object.fromEntries(Object.entries(r).reverse()) as unknown as typeof r;
    shuffled.results = r.results.map((x) => Object.fromEntries(Object.entries(x).reverse()) as unknown as typeof x);
    expect(renderJson(shuffled)).toBe(renderJson(r));
    const parsed = JSON.parse(renderJson(shuffled));
    expect(Object.keys(parsed).slice(0, 13)).toEqual([
      'schemaVersion', 'verdict', 'command', 'profile', 'isolation', 'seed', 'strict', 'caller', 'noDaemon', 'launcher', 'daemon',
      'candidates', 'results',
    ]);
    expect(Object.keys(parsed.caller)).toEqual(['seed', 'blockedSignals', 'ignoredSignals', 'umask', 'cwd', 'cwdOrigin', 'fds']);
    expect(Object.keys(parsed.results[0])).toEqual(['rule', 'title', 'status', 'expected', 'actual', 'message', 'fix', 'reference']);
    expect(Object.keys(parsed.daemon).slice(0, 4)).toEqual(['pid', 'ppid', 'pgid', 'sid']);
    expect(Object.keys(parsed.launcher)).toEqual(['exitCode', 'signal', 'readyAtExit', 'timedOut']);
  });

  it('carries the seed, and each finding with its attribution', () => {
    const r = mixedReport();
    r.results[0] = { ...r.results[0]!, findings: [{ what: 'SIGPIPE ignored', attribution: 'chosen' }] };
    const parsed = JSON.parse(renderJson(r));
    expect(parsed.seed).toBe('5eed0001');
    expect(parsed.results[0].findings).toEqual([{ attribution: 'chosen', what: 'SIGPIPE ignored' }]);
    expect(Object.keys(parsed.results[0])).toEqual(['rule', 'title', 'status', 'expected', 'actual', 'message', 'findings', 'fix', 'reference']);
  });

  it('keeps nulls (a missing daemon is null, not absent)', () => {
    const parsed = JSON.parse(renderJson({ ...mixedReport(), daemon: null }));
    expect(parsed).toHaveProperty('daemon', null);
  });
});
