import { RULE_IDS, START_RULE_IDS, type RuleId } from '../../check/report-types.js';
import { esc } from './escape.js';
import { DECLARED, STATUS_MARK, UNEXPECTED } from './marks.js';
import type { HtmlCheck } from './model.js';

function cell(check: HtmlCheck, rule: RuleId): string {
  const result = check.report?.results.find((r) => r.rule === rule);
  if (!result) {
    const why = check.skipped !== undefined ? `skipped: ${check.skipped}` : (check.error ?? 'not judged');
    const symbol = check.report || check.skipped !== undefined ? '–' : '!';
    return `<td data-rule="${rule}" class="cell st-none" title="${esc(why)}">${symbol}</td>`;
  }
  const marks = [
    check.declared?.includes(rule) ? DECLARED : '',
    check.unexpected?.includes(rule) ? UNEXPECTED : '',
    (result.findings ?? []).some((f) => f.attribution === 'chosen') ? 'ℹ' : '',
  ].join('');
  const mark = STATUS_MARK[result.status];
  const title = `${rule}: ${mark.word}. ${result.message}`;
  return `<td data-rule="${rule}" class="cell st-${result.status}" title="${esc(title)}" aria-label="${esc(title)}">${mark.symbol}${marks ? `<sup>${marks}</sup>` : ''}</td>`;
}

function verdict(check: HtmlCheck): string {
  if (check.report) {
    const flagged = (check.unexpected?.length ?? 0) > 0 ? ` ${UNEXPECTED}` : '';
    return check.report.verdict === 'pass' ? `✓ pass${flagged}` : `✗ FAIL${flagged}`;
  }
  return check.skipped !== undefined ? '– skipped' : '! error';
}

function options(id: string, label: string, values: readonly string[]): string {
  return (
    `<label>${label} <select id="${id}"><option value="">all</option>` +
    values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join('') +
    '</select></label>'
  );
}

/** The columns: the start rules, and the life-cycle and credential rules only when some check judged them. */
function gridRules(checks: readonly HtmlCheck[]): readonly RuleId[] {
  const judged = new Set(checks.flatMap((c) => (c.report?.results ?? []).map((r) => r.rule)));
  return RULE_IDS.filter((rule) => (START_RULE_IDS as readonly RuleId[]).includes(rule) || judged.has(rule));
}

/** The filters: by rule (a column), by tool (a row and its section), failing rows only. */
export function renderFilters(checks: readonly HtmlCheck[]): string {
  const tools = [...new Set(checks.map((c) => c.tool))].sort();
  return [
    '<form class="filters" id="filters" onsubmit="return false">',
    options('filter-rule', 'rule', gridRules(checks)),
    options('filter-tool', 'tool', tools),
    '<label><input type="checkbox" id="filter-failing"> failing only</label>',
    '</form>',
  ].join('\n');
}

/** The matrix: a row per check, a column per rule, each cell a symbol (and a mark) linking to the check's section. */
export function renderGrid(checks: readonly HtmlCheck[], ids: readonly string[]): string {
  const rules = gridRules(checks);
  const head = rules.map((rule) => `<th data-rule="${rule}" class="rule" scope="col"><span>${rule}</span></th>`).join('');
  const rows = checks.map((check, i) => {
    const failing = check.report?.verdict === 'fail' || check.error !== undefined || (check.unexpected?.length ?? 0) > 0;
    // The tool on one line, where it ran on the next: long fixture names keep the grid inside the window.
    const label = `<a href="#${ids[i]}">${esc(check.tool)}</a><br><span class="where">${esc(check.os)} · ${esc(check.isolation)}</span>`;
    return (
      `<tr data-tool="${esc(check.tool)}" data-failing="${failing ? 1 : 0}"><th scope="row">${label}</th>` +
      `<td class="verdict">${verdict(check)}</td>${rules.map((rule) => cell(check, rule)).join('')}</tr>`
    );
  });
  return [
    '<div class="grid-box"><table class="grid" id="grid">',
    `<thead><tr><th scope="col">check</th><th scope="col">verdict</th>${head}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table></div>',
  ].join('\n');
}
