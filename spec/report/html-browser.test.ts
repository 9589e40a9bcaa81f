import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dir as tmpDir } from 'tmp-promise';
import { describe, expect, it } from 'vitest';
import { LIFECYCLE_RULE_IDS, START_RULE_IDS, type CheckReport } from '../../src/check/report-types.js';
import { runCli } from '../cli/run-cli.js';
import { CHROMIUM, pngSize, viewInBrowser } from '../support/browser.js';

/*
 * The HTML report as a person sees it: a real check and a real matrix run write their pages,
 * Debian's chromium loads each from file:// in a 1024 px window, takes a screenshot, and a probe
 * script in the page measures what is on screen and writes it into the DOM, which --dump-dom reads.
 */

// Runs after the page's own script. Everything it finds goes into <pre id="probe">.
const PROBE = String.raw`
(function () {
  var out = {};
  var de = document.documentElement;
  out.pageOverflow = de.scrollWidth - de.clientWidth;
  out.clipped = [];
  document.querySelectorAll('td, th, h1, h2, p, li, caption, label').forEach(function (el) {
    if (el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1) out.clipped.push(el.tagName + ': ' + el.textContent.slice(0, 60));
  });
  out.svgOutside = [];
  out.svgWidths = [];
  document.querySelectorAll('svg.tree').forEach(function (svg) {
    var width = svg.viewBox.baseVal.width;
    out.svgWidths.push(Math.round(svg.getBoundingClientRect().width));
    svg.querySelectorAll('text').forEach(function (t) {
      var b = t.getBBox();
      if (b.x < 0 || b.x + b.width > width - 8) out.svgOutside.push(t.textContent);
    });
  });
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

function probeOf(dom: string): Probe {
  const match = /<pre id="probe">([^<]*)<\/pre>/.exec(dom);
  expect(match, 'the probe wrote its result into the DOM').not.toBeNull();
  const text = match![1]!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return JSON.parse(text) as Probe;
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

  it('matrix --html: declared deviations carry † next to ✗, the widest rows fit a 1024 px window', async () => {
    const tmp = await tmpDir({ unsafeCleanup: true, prefix: 'ds-html-' });
    try {
      const html = join(tmp.path, 'matrix.html');
      // Not on GitHub's terms even in GitHub's CI: this run must not write to the job's summary.
      const result = await runCli(['matrix', '--fixtures', MATRIX_FIXTURES, '--jobs', '2', '--html', html], { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' });
      expect(result.code, result.stderr).toBe(0);
      const view = await viewInBrowser(readFileSync(html, 'utf8'), PROBE, { width: 1024, height: 1400 });
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
