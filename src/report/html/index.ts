/** The HTML report: one self-contained page for `check`, `matrix`, `merge` (and later `fuzz`). */
export { renderHtml } from './page.js';
export { checkId, checkPage, type HtmlCheck, type HtmlReportInput } from './model.js';
export { renderProcessTree } from './tree.js';
