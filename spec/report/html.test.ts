import { describe, expect, it } from 'vitest';
import { checkPage, renderHtml, renderProcessTree } from '../../src/report/html/index.js';
import { mixedReport, report, rule, snapshot } from './sample-report.js';

/* The HTML renderer on hand-built reports: what only a constructed report can show. The real pages are tested in a browser (html-browser.test.ts). */

const chain = {
  checker: { pid: 100, ppid: 1, pgid: 100, sid: 100, tty: null, name: 'node' },
  launcher: { pid: 4000, ppid: 100, pgid: 4000, sid: 4000, tty: '/dev/pts/7', name: 'bash' },
};

describe('the HTML report', () => {
  it('draws a daemon left in the launcher’s session inside that session’s box (nohup &)', () => {
    const svg = renderProcessTree(report([], { chain, daemon: { ...snapshot, pid: 4010, ppid: 1, pgid: 4005, sid: 4000 } }), 'c0');
    expect(svg.match(/class="session-label"[^>]*>session 4000 /g)).toHaveLength(1);
    expect(svg.match(/class="session"/g)).toHaveLength(2); // the checker's, and the launcher's holding the daemon
    expect(svg).toContain('pid 4010 · ppid 1 · pgid 4005 · sid 4000');
  });

  it('draws a daemon in its own session in a box of its own, without a chain when the report has none', () => {
    const svg = renderProcessTree(report([]), 'c0');
    expect(svg).toContain('>session 4241 · no controlling terminal<');
    expect(svg).not.toContain('checker:');
  });

  it('escapes what the command and the daemon wrote: no markup of theirs in the page', () => {
    const hostile = report([rule({ rule: 'umask', message: '<img src=x onerror=alert(1)>' }, 'fail')], {
      command: ['/bin/<script>alert(1)</script>', '"quoted"'],
      notes: ['</section><script>x()</script>'],
    });
    const html = renderHtml(checkPage(hostile, 'linux'));
    expect(html.match(/<script>/g)).toHaveLength(1); // the page's own filter script
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('has a place for the trace: a section when the report carries one, nothing when not', () => {
    expect(renderHtml(checkPage(mixedReport(), 'linux'))).not.toContain('class="trace"');
    const event = { pid: 1, time: 0.5, kind: 'call' as const, call: 'setsid', args: [], result: 1, errno: null };
    const traced = { ...mixedReport(), trace: { tool: 'strace' as const, calls: ['setsid'], processes: [{ pid: 1, parent: null, thread: false }], events: [event], omitted: 0 } };
    const html = renderHtml(checkPage(traced, 'linux'));
    expect(html).toContain('<section class="trace" id="check-0-trace" data-section="trace">');
    expect(html).toContain('setsid()');
  });

  it('marks each status with a symbol as well as a colour, and a racy rule as ≈', () => {
    const html = renderHtml(checkPage(mixedReport(), 'linux'));
    expect(html).toMatch(/<td data-rule="umask" class="cell st-fail"[^>]*>✗</);
    expect(html).toMatch(/<td data-rule="ready-before-exit" class="cell st-racy"[^>]*>≈</);
    expect(html).toMatch(/<td data-rule="pidfile" class="cell st-skip"[^>]*>–</);
    expect(html).toMatch(/<td data-rule="new-session" class="cell st-pass"[^>]*>✓</);
  });
});

describe('signal names in the HTML report', () => {
  it('name signals by the OS the report came from', async () => {
    const { signalNameFor } = await import('../../src/report/html/signal-names.js');
    const { constants } = await import('node:os');
    if (process.platform === 'linux') {
      for (const [name, n] of Object.entries(constants.signals)) {
        if (['SIGIOT', 'SIGPOLL', 'SIGUNUSED'].includes(name)) continue;
        expect(signalNameFor('linux', n)).toBe(name);
      }
    }
    expect(signalNameFor('darwin', 30)).toBe('SIGUSR1');
    expect(signalNameFor('darwin', 29)).toBe('SIGINFO');
    expect(signalNameFor('linux', 36)).toBe('SIGRTMIN+2');
    const html = renderHtml({ title: 't', checks: [{ tool: 'x', isolation: 'host', os: 'darwin', report: report([], { caller: { ...mixedReport().caller, ignoredSignals: [29] }, daemon: { ...snapshot, signals: { blocked: null, ignored: [29, 13], caught: [] } } }) }] });
    expect(html).toContain('✗ inherited: SIGINFO (29)');
    expect(html).toContain('ℹ chosen: SIGPIPE (13)');
    expect(html).toContain('<th>blocked</th><td>not observable here</td>');
  });
});
