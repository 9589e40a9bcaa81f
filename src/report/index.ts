/** Renderers of a check report: text for people, JSON for programs, JUnit XML for CI. */
export { renderText, countStatuses, type TextOptions } from './text.js';
export { renderJson, toJsonObject } from './json.js';
export { renderJunit, type JunitInput, type NamedReport } from './junit.js';
export { colorFor, formatValue, shellQuote } from './format.js';
