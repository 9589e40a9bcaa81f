import { esc } from './escape.js';
import { renderCheckSection } from './details.js';
import { renderFilters, renderGrid } from './grid.js';
import { CHOSEN, DECLARED, INHERITED, UNEXPECTED } from './marks.js';
import { checkId, type HtmlReportInput, type HtmlSection } from './model.js';

const CSS = `
:root { font: 14px/1.4 system-ui, sans-serif; color: #111; background: #fff; }
body { margin: 16px; max-width: 1400px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 6px; } h3 { font-size: 14px; }
code, .target, pre { font-family: ui-monospace, monospace; font-size: 12px; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; }
.legend, .meta { color: #333; }
.filters { margin: 12px 0; display: flex; gap: 16px; flex-wrap: wrap; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: top; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
.grid th.rule { vertical-align: bottom; padding: 4px 2px; }
.grid th.rule span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: 500; font-size: 12px; }
.grid td.cell { text-align: center; min-width: 22px; padding: 3px 3px; font-size: 15px; white-space: nowrap; }
.grid td.verdict, .grid th[scope=row] { white-space: nowrap; } .grid .where { font-weight: 400; font-size: 12px; color: #333; }
.grid td.verdict { font-size: 13px; }
.grid sup { font-size: 10px; }
.st-pass { background: #d9f2d9; } .st-fail { background: #f8c9c9; font-weight: 700; }
.st-racy { background: #fde2b0; font-weight: 700; } .st-skip, .st-none { background: #eee; color: #444; }
.rules, .fds, .signals { width: 100%; table-layout: fixed; }
.rules td, .fds td, .signals td { overflow-wrap: anywhere; }
.rules th:nth-child(1) { width: 14em; } .rules th:nth-child(2) { width: 6em; } .rules th:nth-child(3), .rules th:nth-child(4) { width: 10em; }
.fds th:nth-child(1), .fds th:nth-child(4), .fds th:nth-child(5) { width: 5em; } .fds th:nth-child(2) { width: 6em; }
.signals th { width: 6em; }
.finding.inherited { color: #8b0000; font-weight: 700; } .finding.chosen { color: #1f4e9a; }
.fix { color: #333; font-style: italic; }
.nodaemon { font-weight: 700; color: #8b0000; }
.check { border-top: 2px solid #999; margin-top: 24px; }
.tree-box { max-width: 100%; }
svg.tree { max-width: 100%; height: auto; display: block; }
svg .session { fill: #eef4ff; stroke: #4a6fa5; stroke-dasharray: 6 3; }
svg .group { fill: #fffbe6; stroke: #a58a2a; }
svg .proc { fill: #fff; stroke: #333; } svg .proc.daemon-fail { stroke: #b00; stroke-width: 2.5; } svg .proc.daemon-pass { stroke: #070; stroke-width: 2.5; }
svg .proc.missing { stroke: #b00; stroke-dasharray: 4 3; }
svg text { font: 12px ui-monospace, monospace; fill: #111; } svg .proc-title { font-weight: 700; }
svg .session-label, svg .group-label { font: 11px system-ui, sans-serif; fill: #333; } svg .edge-label { font: 11px system-ui, sans-serif; fill: #333; }
svg .edge { stroke: #333; stroke-width: 1.5; } svg .edge.dashed { stroke-dasharray: 5 4; } svg .arrowhead { fill: #333; }
.sequence-box { max-width: 100%; overflow-x: auto; } .sequence-box.wide { max-height: 90vh; overflow: auto; border: 1px solid #bbb; }
svg.sequence { display: block; max-width: none; }
svg .seq-head { fill: #fff; stroke: #333; } svg .daemon .seq-head, svg .original-daemon .seq-head { stroke-width: 2.5; }
svg .seq-pid { font-weight: 700; } svg .seq-role { font: 11px system-ui, sans-serif; fill: #333; } svg .seq-prog { font-size: 11px; fill: #333; }
svg .seq-before { stroke: #999; stroke-dasharray: 2 3; } svg .seq-life { stroke: #444; stroke-width: 1.5; }
svg .seq-end { stroke: #111; stroke-width: 2.5; } svg .seq-fork { stroke: #1f4e9a; stroke-width: 1.5; }
svg .seq-zebra { fill: #f1f1f1; } svg .seq-time { fill: #444; }
svg .seq-label-bg { fill: #fff; } svg .seq-label-bg.alt { fill: #f1f1f1; }
svg .seq-label.strong { font-weight: 700; } svg .seq-milestone { fill: #111; } svg .seq-call { fill: #444; }
svg .seq-signal { fill: #fff; stroke: #8b0000; stroke-width: 1.5; } svg .seq-note { font-style: italic; }
.trace-text summary { cursor: pointer; }
.runs td { overflow-wrap: anywhere; } .runs td:nth-child(1), .runs td:nth-child(2), .runs td:nth-child(5) { white-space: nowrap; } .runs td:nth-child(4) { min-width: 12em; }
[hidden] { display: none !important; }
@media print { .filters { display: none; } }
`;

// Plain inline script (no module, no network): hides the columns of other rules, the rows and
// sections of other tools, and passing rows when asked. Without script every row stays shown.
const SCRIPT = `
(function () {
  var rule = document.getElementById('filter-rule'), tool = document.getElementById('filter-tool'), failing = document.getElementById('filter-failing');
  function apply() {
    document.querySelectorAll('[data-rule]').forEach(function (el) { el.hidden = rule.value !== '' && el.getAttribute('data-rule') !== rule.value; });
    document.querySelectorAll('[data-tool]').forEach(function (el) {
      el.hidden = (tool.value !== '' && el.getAttribute('data-tool') !== tool.value) || (failing.checked && el.getAttribute('data-failing') !== '1');
    });
  }
  rule.addEventListener('change', apply); tool.addEventListener('change', apply); failing.addEventListener('change', apply);
  apply();
})();
`;

function legend(): string {
  return (
    '<p class="legend">✓ pass · ✗ FAIL · – skipped (not judged) · ≈ racy (differs between runs) · ! could not run · ' +
    `${DECLARED} a deviation the tool declares · ${UNEXPECTED} not as declared (a regression or an out-of-date manifest) · ` +
    `ℹ state the program chose itself (a note) · “${INHERITED}”: state the checker planted, passed on · “${CHOSEN}”: set by the program</p>`
  );
}

/** A section of paragraphs and one table, escaped. */
function renderSection(section: HtmlSection): string {
  const paragraphs = (section.paragraphs ?? []).map((p) => (p.code ? `<pre><code>${esc(p.text)}</code></pre>` : `<p>${esc(p.text)}</p>`));
  const table = section.table;
  const rows = table?.rows.map((row) => `<tr>${row.map((cell) => `<td>${esc(cell)}</td>`).join('')}</tr>`) ?? [];
  const tableHtml = table
    ? `<table class="runs"><caption>${esc(table.caption)}</caption><thead><tr>${table.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '';
  return [`<section class="extra"><h2>${esc(section.heading)}</h2>`, ...paragraphs, tableHtml, '</section>'].join('\n');
}

/**
 * One self-contained HTML page (inline CSS, SVG and script; no network, works from file://):
 * the matrix of every check with filters by rule and tool, then a section per check with the
 * drawing of its process chain, its rules, fds, signal sets and (when recorded) its trace.
 * Used by `check --html`, `matrix --html`, `merge --html` and `fuzz --html`.
 */
export function renderHtml(input: HtmlReportInput): string {
  const ids = input.checks.map((_c, i) => checkId(i));
  const failing = input.checks.filter((c) => c.report?.verdict === 'fail' || c.error !== undefined).length;
  const judged = input.checks.some((c) => c.declared !== undefined);
  const surprising = input.checks.filter((c) => (c.unexpected?.length ?? 0) > 0).length;
  const asDeclared = judged ? `, ${surprising} not as declared${surprising > 0 ? ` ${UNEXPECTED}` : ''}` : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
    `<title>${esc(input.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head><body>',
    `<h1>${esc(input.title)}</h1>`,
    input.subtitle ? `<p class="meta">${esc(input.subtitle)}</p>` : '',
    `<p class="summary">${esc(input.summary ?? `${input.checks.length} check${input.checks.length === 1 ? '' : 's'}, ${failing} failing${asDeclared}.`)}</p>`,
    ...(input.sections ?? []).map(renderSection),
    legend(),
    renderFilters(input.checks),
    renderGrid(input.checks, ids),
    ...input.checks.map((c, i) => renderCheckSection(c, ids[i]!)),
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
