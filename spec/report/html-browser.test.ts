import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dir as tmpDir } from 'tmp-promise';
import { describe, expect, it } from 'vitest';
import { LIFECYCLE_RULE_IDS, START_RULE_IDS, type CheckReport } from '../../src/check/report-types.js';
import { traceAvailability } from '../../src/trace/strace.js';
import { runCli } from '../cli/run-cli.js';
import { NEUTRAL_CALLER } from '../../src/check/caller-spec.js';
import { fuzzPage } from '../../src/fuzz/html.js';
import type { FuzzReport } from '../../src/fuzz/index.js';
import { renderHtml } from '../../src/report/html/index.js';
import { doubleForkDaemonPy } from '../support/python-daemon.js';
import { PYTHON } from '../support/steps.js';
import { CHROMIUM, pngSize, viewInBrowser } from '../support/browser.js';

/*
 * The HTML report as a person sees it: a real check and a real matrix run write their pages,
 * Debian's chromium loads each from file:// in a 1024 px window, takes a screenshot, and a probe
 * script in the page measures what is on screen and writes it into the DOM, which --dump-dom reads.
 */

// What is cut off: the page scrolling sideways, text overflowing its box, SVG text past its drawing.
const CLIPPING = String.raw`
  var de = document.documentElement;
  out.pageOverflow = de.scrollWidth - de.clientWidth;
  out.clipped = [];
  document.querySelectorAll('td, th, h1, h2, h3, p, li, caption, label, summary').forEach(function (el) {
    if (el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1) out.clipped.push(el.tagName + ': ' + el.textContent.slice(0, 60));
  });
  out.svgOutside = [];
  out.svgWidths = [];
  document.querySelectorAll('svg.tree, svg.sequence').forEach(function (svg) {
    var width = svg.viewBox.baseVal.width, height = svg.viewBox.baseVal.height;
    if (svg.classList.contains('tree')) out.svgWidths.push(Math.round(svg.getBoundingClientRect().width));
    svg.querySelectorAll('text').forEach(function (t) {
      var b = t.getBBox();
      if (b.x < 0 || b.x + b.width > width - 8 || b.y < 0 || b.y + b.height > height) out.svgOutside.push(t.textContent);
    });
  });
`;

// Runs after the page's own script. Everything it finds goes into <pre id="probe">.
const PROBE = String.raw`
(function () {
  var out = {};
  ${CLIPPING}
  out.svgText = Array.prototype.map.call(document.querySelectorAll('svg.tree text'), function (t) { return t.textContent; });
  out.cells = Array.prototype.map.call(document.querySelectorAll('#grid td.cell'), function (td) {
    return { rule: td.getAttribute('data-rule'), cls: td.className, text: td.textContent };
  });
  out.findings = Array.prototype.map.call(document.querySelectorAll('.finding'), function (f) { return { cls: f.className, text: f.textContent }; });
  var rule = document.getElementById('filter-rule');
  rule.value = 'umask';
  rule.dispatchEvent(new Event('change'));
  out.visibleRuleColumns = Array.prototype.filter.call(document.querySelectorAll('#grid th.rule'), function (th) { return th.offsetParent !== null; })
    .map(function (th) { return th.textContent; });
  rule.value = '';
  rule.dispatchEvent(new Event('change'));
  var tool = document.getElementById('filter-tool');
  var opt = document.createElement('option'); opt.value = 'another-tool'; opt.textContent = 'another-tool'; tool.appendChild(opt);
  tool.value = 'another-tool';
  out.toolValue = tool.value;
  tool.dispatchEvent(new Event('change'));
  out.visibleRowsForOtherTool = Array.prototype.filter.call(document.querySelectorAll('#grid tbody tr, section.check'), function (el) { return el.offsetParent !== null; }).length;
  var pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
})();
`;

// The trace's sequence diagram: its lanes, its labels, any two texts drawn over each other, whether
// its box has to scroll; then everything but the trace section is hidden, so the screenshot shows it.
const SEQUENCE_PROBE = String.raw`
(function () {
  var out = {};
  ${CLIPPING}
  var svg = document.querySelector('svg.sequence');
  out.diagrams = document.querySelectorAll('svg.sequence').length;
  if (svg) {
    var box = svg.parentElement;
    out.viewBox = { width: svg.viewBox.baseVal.width, height: svg.viewBox.baseVal.height };
    var r = svg.getBoundingClientRect();
    out.drawn = { width: Math.round(r.width), height: Math.round(r.height) };
    out.boxScroll = box.scrollWidth - box.clientWidth;
    out.lanes = Array.prototype.map.call(svg.querySelectorAll('g.lane'), function (g) {
      return { pid: g.getAttribute('data-pid'), texts: Array.prototype.map.call(g.querySelectorAll('text'), function (t) { return t.textContent; }) };
    });
    out.headerOutside = [];
    svg.querySelectorAll('g.lane').forEach(function (g) {
      var box = g.querySelector('rect.seq-head').getBBox();
      g.querySelectorAll('text').forEach(function (t) {
        var b = t.getBBox();
        if (b.x < box.x || b.x + b.width > box.x + box.width) out.headerOutside.push(t.textContent);
      });
    });
    out.labels = Array.prototype.map.call(svg.querySelectorAll('text.seq-label'), function (t) { return t.textContent; });
    var texts = Array.prototype.map.call(svg.querySelectorAll('text'), function (t) { return { text: t.textContent, b: t.getBoundingClientRect() }; });
    out.overlaps = [];
    for (var i = 0; i < texts.length; i++) for (var j = i + 1; j < texts.length; j++) {
      var a = texts[i].b, c = texts[j].b;
      if (a.left < c.right - 0.5 && c.left < a.right - 0.5 && a.top < c.bottom - 0.5 && c.top < a.bottom - 0.5) out.overlaps.push(texts[i].text + ' / ' + texts[j].text);
    }
  }
  document.querySelectorAll('body > *').forEach(function (el) { if (!el.matches('section.check, script')) el.style.display = 'none'; });
  document.querySelectorAll('section.check > *').forEach(function (el) { if (!el.matches('section.trace')) el.style.display = 'none'; });
  var pre = document.createElement('pre'); pre.id = 'probe'; pre.style.display = 'none'; pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
})();
`;

interface SequenceProbe {
  pageOverflow: number;
  clipped: string[];
  svgOutside: string[];
  diagrams: number;
  viewBox: { width: number; height: number };
  drawn: { width: number; height: number };
  boxScroll: number;
  lanes: { pid: string; texts: string[] }[];
  labels: string[];
  overlaps: string[];
  headerOutside: string[];
}

interface Probe {
  pageOverflow: number;
  clipped: string[];
  svgOutside: string[];
  svgWidths: number[];
  svgText: string[];
  cells: { rule: string; cls: string; text: string }[];
  findings: { cls: string; text: string }[];
  visibleRuleColumns: string[];
  visibleRowsForOtherTool: number;
  toolValue: string;
}

function probeOf<T = Probe>(dom: string): T {
  const match = /<pre id="probe"[^>]*>([^<]*)<\/pre>/.exec(dom);
  expect(match, 'the probe wrote its result into the DOM').not.toBeNull();
  const text = match![1]!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return JSON.parse(text) as T;
}

// The longest fixture name, and tools with notes (ℹ) and deviations (†) in their cells: the widest rows of the grid.
const MATRIX_FIXTURES = 'setsid-fork,start-stop-daemon-notify,perl-proc-daemon,python-daemon';

const SYMBOL: Record<string, string> = { 'st-pass': '✓', 'st-fail': '✗', 'st-skip': '–', 'st-racy': '≈' };

/** What every page must show: nothing clipped, failures marked by text as well as colour, the filters working. */
function expectReadable(probe: Probe, png: Buffer): void {
  expect(pngSize(png)).toEqual({ width: 1024, height: 1400 });
  expect(png.length).toBeGreaterThan(20_000); // a rendered page, not a blank one
  expect(probe.pageOverflow, 'the page scrolls sideways').toBe(0);
  expect(probe.clipped, 'cells whose text does not fit').toEqual([]);
  expect(probe.svgOutside, 'SVG text past the drawing').toEqual([]);
  for (const width of probe.svgWidths) expect(width).toBe(720); // drawn at full size, not shrunk
  for (const cell of probe.cells) {
    const status = cell.cls.split(' ').find((c) => c in SYMBOL);
    if (status) expect(cell.text.startsWith(SYMBOL[status]!), `${cell.rule}: ${cell.cls} shows ${cell.text}`).toBe(true);
  }
  for (const f of probe.findings) expect(f.text).toMatch(f.cls.includes('inherited') ? /^✗ inherited: / : /^ℹ chosen: /);
  expect(probe.visibleRuleColumns).toEqual(['umask']);
  expect(probe.toolValue).toBe('another-tool');
  expect(probe.visibleRowsForOtherTool).toBe(0);
}

/** A fuzz report whose counterexample is `check`, with command lines as long as real replays. */
function fuzzReportAround(check: CheckReport, script: string): FuzzReport {
  const command = [PYTHON, script, '{pidfile}'];
  const words = 'fd 1024 open on a pipe';
  return {
    schemaVersion: 1,
    verdict: 'fail',
    command,
    runs: 3,
    seed: 2,
    path: null,
    jobs: 2,
    baseline: { caller: NEUTRAL_CALLER, failing: [], noDaemon: null },
    counterexample: {
      caller: check.caller.spec ?? NEUTRAL_CALLER,
      words,
      failing: ['no-leaked-fds'],
      explanation: `with ${words} in the caller: no-leaked-fds\n  no-leaked-fds: ${check.results.find((r) => r.rule === 'no-leaked-fds')!.message}`,
      path: '1:0',
      replay: `daemonspec fuzz --pidfile '{pidfile}' --seed 2 --path 1:0 -- ${command.join(' ')}`,
      checkReplay: `mkdir -p /tmp/daemonspec-replay-2 && daemonspec check --pidfile /tmp/daemonspec-replay-2/daemon.pid --caller-fds 1024=pipe --caller-umask 000 -- ${PYTHON} ${script} /tmp/daemonspec-replay-2/daemon.pid`,
      shrinks: 2,
      report: check,
    },
    trials: [
      { words: 'fds 0, 1 and 2 closed, fd 4093 open on an eventfd with FD_CLOEXEC, SIGCHLD, SIGHUP and SIGRTMIN+3 ignored, the cwd deep', failing: ['no-leaked-fds'], phase: 'search', durationMs: 812 },
      { words, failing: ['no-leaked-fds'], phase: 'shrink', durationMs: 640 },
      { words: 'the plain caller', failing: [], phase: 'shrink', durationMs: 598 },
    ],
    durationMs: 2050,
  };
}

const available = traceAvailability();
const traceWhy = 'reason' in available ? available.reason : null;

/** DAEMONSPEC_SCREENSHOTS=DIR keeps the screenshots for a person to look at (docs/testing.md). */
function keepScreenshot(name: string, png: Buffer): void {
  const dir = process.env.DAEMONSPEC_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), png);
}

describe.skipIf(CHROMIUM === undefined || process.platform !== 'linux')('the HTML report in a headless browser', () => {
  it('check --html: the failing rules are the ✗ cells, the chain shows the launcher and the daemon with their ids', async () => {
    const tmp = await tmpDir({ unsafeCleanup: true, prefix: 'ds-html-' });
    try {
      const html = join(tmp.path, 'out', 'check.html');
      const result = await runCli(['check', '--json', '--html', html, '--', '/usr/bin/setsid', '--fork', '/bin/sleep', '30']);
      expect(result.code, result.stderr).toBe(1);
      const report = JSON.parse(result.stdout) as CheckReport;
      const page = readFileSync(html, 'utf8');
      expect(page).not.toMatch(/(?:src|href)="(?:https?:)?\/\//); // nothing from the network
      const view = await viewInBrowser(page, PROBE, { width: 1024, height: 1400 });
      keepScreenshot('check.png', view.png);
      expect(view.leftover).toEqual([]);
      const probe = probeOf(view.dom);
      expectReadable(probe, view.png);
      const failed = report.results.filter((r) => r.status === 'fail').map((r) => r.rule);
      expect(failed.length).toBeGreaterThan(3);
      expect(probe.cells.filter((c) => c.cls.includes('st-fail')).map((c) => c.rule)).toEqual(failed);
      const d = report.daemon!;
      const l = report.chain!.launcher!;
      expect(probe.svgText).toContain(`pid ${d.pid} · ppid ${d.ppid} · pgid ${d.pgid} · sid ${d.sid}`);
      expect(probe.svgText).toContain(`pid ${l.pid} · ppid ${l.ppid} · pgid ${l.pgid} · sid ${l.sid}`);
      expect(probe.svgText).toContain(`session ${d.sid} · no controlling terminal`);
      expect(probe.svgText).toContain(`session ${l.sid} · controlling terminal ${l.tty}`);
      expect(probe.svgText.some((t) => t.startsWith('daemon: sleep (session leader'))).toBe(true);
      // The leaked trap fds are in the fd table as inherited findings, the planted signals too.
      expect(probe.findings.filter((f) => f.text.includes('trap (planted as fd')).length).toBe(2);
    } finally {
      await tmp.cleanup();
    }
  }, 90_000);

  it.skipIf(traceWhy !== null)("check --trace --html: the trace drawn as a sequence diagram, a lane per traced process, the daemon's setsid on its lane", async () => {
    const tmp = await tmpDir({ unsafeCleanup: true, prefix: 'ds-html-' });
    try {
      const html = join(tmp.path, 'check.html');
      const result = await runCli(['check', '--json', '--trace', '--html', html, '--', '/usr/bin/setsid', '--fork', '/bin/sleep', '30']);
      expect(result.code, result.stderr).toBe(1);
      const report = JSON.parse(result.stdout) as CheckReport;
      expect(report.cleanup.leftRunning).toEqual([]);
      const trace = report.trace!;
      const view = await viewInBrowser(readFileSync(html, 'utf8'), SEQUENCE_PROBE, { width: 1024, height: 1400 });
      keepScreenshot('check-trace.png', view.png);
      expect(view.leftover).toEqual([]);
      const probe = probeOf<SequenceProbe>(view.dom);
      expect(pngSize(view.png)).toEqual({ width: 1024, height: 1400 });
      expect(view.png.length).toBeGreaterThan(20_000); // the diagram drawn, not a blank page
      expect(probe.diagrams).toBe(1);
      // Nothing cut off: not the page, not a text box, not an SVG text, nothing drawn over another text.
      expect(probe.pageOverflow, 'the page scrolls sideways').toBe(0);
      expect(probe.clipped, 'text that does not fit its box').toEqual([]);
      expect(probe.svgOutside, 'SVG text past the drawing').toEqual([]);
      expect(probe.overlaps, 'texts drawn over each other').toEqual([]);
      expect(probe.headerOutside, 'header text wider than its box').toEqual([]);
      expect(probe.drawn, 'drawn at its size, not shrunk').toEqual(probe.viewBox);
      expect(probe.boxScroll, 'the diagram fits the page without scrolling its box').toBeLessThanOrEqual(0);
      // A lane per traced process, headed by its pid; the launcher first, the daemon's lane named so.
      const pids = trace.processes.filter((p) => !p.thread).map((p) => String(p.pid));
      expect(probe.lanes.map((l) => l.pid).sort()).toEqual([...pids].sort());
      for (const lane of probe.lanes) expect(lane.texts[0]).toBe(`pid ${lane.pid}`);
      expect(probe.lanes[0]!).toMatchObject({ pid: pids[0], texts: [`pid ${pids[0]}`, 'launcher', 'bash'] });
      const daemon = report.daemon!.pid;
      expect(probe.lanes.find((l) => l.pid === String(daemon))!.texts).toEqual([`pid ${daemon}`, 'daemon', 'sleep']);
      // What setsid(1) --fork really calls, as labels: its fork, the child's setsid() and exec.
      const setsid = trace.events.find((e) => e.call === 'setsid' && e.errno === null)!;
      expect(setsid.pid).toBe(daemon);
      expect(probe.labels).toContain(`setsid() = ${setsid.result}`);
      expect(probe.labels).toContain(`clone → ${daemon}`);
      expect(probe.labels).toContain('execve("/bin/sleep")');
    } finally {
      await tmp.cleanup();
    }
  }, 90_000);

  it('fuzz --html: the smallest caller, its replays and every run above the drawn check; long command lines wrap', async () => {
    const tmp = await tmpDir({ unsafeCleanup: true, prefix: 'ds-html-' });
    try {
      // A real check of the caller a fuzz would shrink to (a pipe at fd 1024), in a fuzz report.
      const script = join(tmp.path, 'bounded.py');
      writeFileSync(script, doubleForkDaemonPy({ closeNull: 'above-2', closeBelow: 1024 }));
      const pidfile = join(tmp.path, 'd.pid');
      const result = await runCli(['check', '--json', '--caller-fds', '1024=pipe', '--caller-umask', '000', '--pidfile', pidfile, '--', PYTHON, script, pidfile]);
      const check = JSON.parse(result.stdout) as CheckReport;
      expect(check.cleanup.leftRunning).toEqual([]);
      const page = renderHtml(fuzzPage(fuzzReportAround(check, script)));
      const view = await viewInBrowser(page, PROBE, { width: 1024, height: 1400 });
      keepScreenshot('fuzz.png', view.png);
      expect(view.leftover).toEqual([]);
      const probe = probeOf(view.dom);
      expectReadable(probe, view.png);
      expect(probe.cells.filter((c) => c.cls.includes('st-fail')).map((c) => c.rule)).toEqual(['no-leaked-fds']);
      expect(view.dom).toContain('<h2>The smallest caller that breaks the daemon (shrunk 2 times)</h2>');
      expect(view.dom.match(/<table class="runs">.*?<\/table>/s)![0].match(/<tr><td>/g)).toHaveLength(3);
    } finally {
      await tmp.cleanup();
    }
  }, 90_000);

  it('matrix --html: declared deviations carry † next to ✗, the widest rows fit a 1024 px window', async () => {
    const tmp = await tmpDir({ unsafeCleanup: true, prefix: 'ds-html-' });
    try {
      const html = join(tmp.path, 'matrix.html');
      // Not on GitHub's terms even in GitHub's CI: this run must not write to the job's summary.
      const result = await runCli(['matrix', '--fixtures', MATRIX_FIXTURES, '--jobs', '2', '--html', html], { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' });
      expect(result.code, result.stderr).toBe(0);
      const view = await viewInBrowser(readFileSync(html, 'utf8'), PROBE, { width: 1024, height: 1400 });
      keepScreenshot('matrix.png', view.png);
      expect(view.leftover).toEqual([]);
      const probe = probeOf(view.dom);
      expectReadable(probe, view.png);
      const failing = probe.cells.filter((c) => c.cls.includes('st-fail'));
      expect(failing.length).toBeGreaterThan(3);
      for (const cell of failing) expect(cell.text).toMatch(/^✗†/);
      // The start rules, and the life-cycle rules perl-proc-daemon and python-daemon are checked with.
      expect(probe.cells.length).toBe(4 * (START_RULE_IDS.length + LIFECYCLE_RULE_IDS.length));
    } finally {
      await tmp.cleanup();
    }
  }, 90_000);
});
