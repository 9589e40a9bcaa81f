import type { CheckReport, RuleResult } from '../../check/report-types.js';
import type { FdInfo } from '../../inspect/snapshot.js';
import { signalNameFor } from './signal-names.js';
import { formatValue, shellQuote } from '../format.js';
import { esc } from './escape.js';
import { CHOSEN, DECLARED, INHERITED, statusText, UNEXPECTED } from './marks.js';
import type { HtmlCheck } from './model.js';
import { renderTraceSection } from './trace.js';
import { renderProcessTree } from './tree.js';

function findingsCell(r: RuleResult): string {
  return (r.findings ?? [])
    .map((f) => `<span class="finding ${f.attribution}">${f.attribution === 'inherited' ? INHERITED : CHOSEN}: ${esc(f.what)}</span>`)
    .join('<br>');
}

function rulesTable(check: HtmlCheck, report: CheckReport): string {
  const rows = report.results.map((r) => {
    const marks = `${check.declared?.includes(r.rule) ? ` ${DECLARED}` : ''}${check.unexpected?.includes(r.rule) ? ` ${UNEXPECTED}` : ''}`;
    return (
      `<tr data-rule="${r.rule}" class="st-${r.status}"><td><code>${r.rule}</code></td><td class="status">${statusText(r.status)}${marks}</td>` +
      `<td>${esc(formatValue(r.rule, r.expected))}</td><td>${esc(formatValue(r.rule, r.actual))}</td>` +
      `<td>${esc(r.message)}${r.fix ? `<br><span class="fix">fix: ${esc(r.fix)}</span>` : ''}</td><td>${findingsCell(r)}</td></tr>`
    );
  });
  return [
    '<table class="rules"><thead><tr><th>rule</th><th>status</th><th>expected</th><th>actual</th><th>why</th><th>findings</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
  ].join('\n');
}

function fdOrigin(fd: FdInfo, report: CheckReport): string {
  const trap = report.caller.fds.find((t) => t.device === fd.device && t.inode === fd.inode);
  if (trap) return `<span class="finding inherited">${INHERITED}: the checker’s ${trap.kind} trap (planted as fd ${trap.fd})</span>`;
  return fd.fd <= 2 ? 'standard stream' : 'opened by the program';
}

function fdTable(report: CheckReport): string {
  const fds = report.daemon?.fds;
  if (!fds) return `<p>fds: not readable${report.daemon?.unknown.fds ? ` (${esc(report.daemon.unknown.fds)})` : ''}.</p>`;
  const flag = (v: boolean | null): string => (v === null ? '?' : v ? 'yes' : 'no');
  const rows = fds.map(
    (fd) =>
      `<tr><td>${fd.fd}</td><td>${fd.kind}</td><td class="target">${esc(fd.target)}</td><td>${fd.access ?? '?'}</td><td>${flag(fd.cloexec)}</td><td>${fdOrigin(fd, report)}</td></tr>`,
  );
  return [
    '<table class="fds"><caption>The daemon’s open file descriptors</caption><thead><tr><th>fd</th><th>kind</th><th>target</th><th>access</th><th>close-on-exec</th><th>origin</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
  ].join('\n');
}

function signalList(numbers: readonly number[] | null, planted: readonly number[], signalName: (n: number) => string): string {
  if (numbers === null) return 'not observable here';
  if (numbers.length === 0) return '(none)';
  return numbers
    .map((n) => {
      const name = `${signalName(n)} (${n})`;
      if (planted.includes(n)) return `<span class="finding inherited">${INHERITED}: ${esc(name)}</span>`;
      return `<span class="finding chosen">${CHOSEN}: ${esc(name)}</span>`;
    })
    .join(', ');
}

function signalTable(report: CheckReport, os: string): string {
  const s = report.daemon?.signals;
  if (!s) return '';
  const signalName = (n: number): string => signalNameFor(os, n);
  const caught = s.caught.length === 0 ? '(none)' : esc(s.caught.map((n) => `${signalName(n)} (${n})`).join(', '));
  return [
    '<table class="signals"><caption>The daemon’s signal sets (marked against what the checker planted)</caption><tbody>',
    `<tr><th>blocked</th><td>${signalList(s.blocked, report.caller.blockedSignals, signalName)}</td></tr>`,
    `<tr><th>ignored</th><td>${signalList(s.ignored, report.caller.ignoredSignals, signalName)}</td></tr>`,
    `<tr><th>caught</th><td>${caught}</td></tr>`,
    `<tr><th>planted</th><td>blocked ${esc(report.caller.blockedSignals.map(signalName).join(', ') || '(none)')}; ignored ${esc(report.caller.ignoredSignals.map(signalName).join(', ') || '(none)')}</td></tr>`,
    '</tbody></table>',
  ].join('\n');
}

function verdictText(check: HtmlCheck): string {
  if (check.report) return check.report.verdict === 'pass' ? '✓ pass' : '✗ FAIL';
  return check.skipped !== undefined ? '– skipped' : '! error';
}

/** One check's section: the heading, the chain, the rules, the fds, the signals and the trace. */
export function renderCheckSection(check: HtmlCheck, id: string): string {
  const r = check.report;
  const head = `<h2>${verdictText(check)} · ${esc(check.os)} · ${esc(check.isolation)} · ${esc(check.tool)}</h2>`;
  const open = `<section class="check" id="${id}" data-tool="${esc(check.tool)}" data-failing="${r?.verdict === 'fail' || check.error ? 1 : 0}">`;
  if (!r) return [open, head, `<p>${esc(check.skipped ?? check.error ?? 'did not run')}</p>`, '</section>'].join('\n');
  const meta = `<p class="meta">command <code>${esc(shellQuote(r.command))}</code> · profile ${esc(r.profile)} · seed <code>${esc(r.seed)}</code>${r.strict ? ' · strict' : ''} · ${r.runs} run${r.runs > 1 ? 's' : ''} · ${r.durationMs} ms</p>`;
  const noDaemon = r.noDaemon ? `<p class="nodaemon">✗ no daemon found: ${esc(r.noDaemon.reason)}</p>` : '';
  const notes = r.notes.length > 0 ? `<ul class="notes">${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
  return [
    open, head, meta, noDaemon, notes,
    `<div class="tree-box">${renderProcessTree(r, id)}</div>`,
    rulesTable(check, r),
    fdTable(r),
    signalTable(r, check.os),
    renderTraceSection(r, id),
    '</section>',
  ].join('\n');
}
