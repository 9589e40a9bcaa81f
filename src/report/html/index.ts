/** The HTML report: one self-contained page for `check`, `matrix`, `merge` and `fuzz`. */
export { renderHtml } from './page.js';
export { checkId, checkPage, type HtmlCheck, type HtmlReportInput, type HtmlSection } from './model.js';
export { renderProcessTree } from './tree.js';
