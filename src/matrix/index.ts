export { buildTables, SYMBOL, type IsolationTable } from './cells.js';
export { runFixture, type MatrixRow } from './job.js';
export { compareDeviations, conforms, type DeviationComparison } from './judge.js';
export { renderJunit } from './junit.js';
export { ISOLATION_TITLES, markdownSections, renderMarkdown } from './markdown.js';
export { placeholderValues, type PlaceholderValues } from './placeholders.js';
export { runMatrix, type MatrixOptions, type MatrixResult } from './run.js';
export { renderText } from './text.js';
