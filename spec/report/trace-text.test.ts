/** The trace in the text and JSON reports, from strace output captured from a real run (spec/trace/captured/). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderJson, renderText } from '../../src/report/index.js';
import { traceLines } from '../../src/report/trace-text.js';
import { parseStrace } from '../../src/trace/parse.js';
import { TRACED_CALLS } from '../../src/trace/strace.js';
import { report, rule } from './sample-report.js';

const trace = parseStrace(readFileSync(new URL('../trace/captured/setsid-double-fork.strace', import.meta.url), 'utf8'), TRACED_CALLS);

describe('the trace as text', () => {
  const lines = traceLines(trace, 4257, 100);

  it('has a header and one block per process, launcher first, roles named, parents shown', () => {
    expect(lines[0]).toBe(`trace (strace; 5 processes, ${trace.events.length} events, ${trace.omitted} left out; ms since the launcher's exec):`);
    const heads = lines.filter((l) => /^ {2}\d/.test(l)).map((l) => l.slice(0, l.indexOf(':') + 1));
    expect(heads).toEqual(['  4246 (launcher):', '  4252 ← 4246 (the command):', '  4253 ← 4252:', '  4254 ← 4246:', '  4257 ← 4253 (the daemon):']);
  });

  it('gives milestones their time and folds runs, wrapping at the width under the head', () => {
    const text = lines.join('\n');
    expect(text).toContain('+9.907 setsid() = 4253');
    expect(text).toContain('+23.428 umask(022) = 0022');
    expect(text).toContain('+23.452 chdir("/")');
    expect(text).toContain('dup2(3, 0)');
    expect(text).toMatch(/rt_sigaction ×\d+/);
    for (const line of lines.slice(1)) expect(line.length).toBeLessThanOrEqual(100 + 40); // one step may overflow alone
    const daemon = lines.findIndex((l) => l.startsWith('  4257'));
    expect(lines[daemon + 1]).toMatch(/^ {28}\S/); // continuation lines under the head's width
  });

  it('ends the text report when the report has a trace; absent otherwise', () => {
    const withTrace = renderText(report([rule({ rule: 'umask' })], { trace }));
    expect(withTrace).toContain("trace (strace; 5 processes");
    expect(renderText(report([rule({ rule: 'umask' })]))).not.toContain('trace (strace');
  });

  it('is the last key of the JSON report, its own keys in the documented order', () => {
    const json = JSON.parse(renderJson(report([rule({ rule: 'umask' })], { trace }))) as Record<string, unknown>;
    expect(Object.keys(json).at(-1)).toBe('trace');
    expect(Object.keys(json.trace as object)).toEqual(['tool', 'calls', 'processes', 'events', 'omitted']);
    expect(JSON.parse(renderJson(report([rule({ rule: 'umask' })])))).not.toHaveProperty('trace');
  });
});
