import { matrixAnnotations, matrixSummary } from '../matrix/github.js';
import { matrixPage } from '../matrix/html.js';
import { renderJunit } from '../matrix/junit.js';
import { keptSections, markdownSections, renderMarkdown, replaceSection } from '../matrix/markdown.js';
import type { MatrixResult } from '../matrix/run.js';
import { appendStepSummary, onGitHub } from '../report/github.js';
import { renderHtml } from '../report/html/index.js';
import { readOutputFile, writeOutputFile } from './output-file.js';

/**
 * The conformance document of one run, written over `file`: the sections of isolations not run
 * this time (docker on a machine without an engine) stay as they were, and so do the observed
 * sequences unless this run was traced, and the fuzz findings (`matrix --fuzz --fuzz-markdown`).
 */
function documentOf(result: MatrixResult, file: string, traced: boolean): string {
  const previous = readOutputFile(file);
  if (previous === null) return renderMarkdown(result);
  let document = renderMarkdown(result, keptSections(previous, result.isolations));
  const old = markdownSections(previous);
  const oldTraces = old.get('traces');
  if (!traced && oldTraces !== undefined) document = replaceSection(document, 'traces', oldTraces);
  const oldFuzz = old.get('fuzz');
  return oldFuzz === undefined ? document : replaceSection(document, 'fuzz', oldFuzz);
}

/** The conformance document; with results from several OSes, one document per OS, one after the other. */
function markdownOf(results: readonly MatrixResult[], file: string, traced: boolean): string {
  if (results.length === 1) return documentOf(results[0]!, file, traced);
  return results.map((r) => renderMarkdown(r).replace(/^# Conformance matrix$/m, `# Conformance matrix (${r.os})`)).join('\n');
}

/** The files `matrix` and `merge` write, and on GitHub Actions the annotations and the job summary. */
export function writeMatrixOutputs(
  results: readonly MatrixResult[],
  files: { markdown?: string | undefined; junit?: string | undefined; html?: string | undefined; traced?: boolean },
  missing: readonly string[] = [],
  github: { annotate: boolean } = { annotate: true },
): void {
  if (files.markdown !== undefined) writeOutputFile('--markdown', files.markdown, markdownOf(results, files.markdown, files.traced === true));
  if (files.junit !== undefined) writeOutputFile('--junit', files.junit, renderJunit(results));
  if (files.html !== undefined) writeOutputFile('--html', files.html, renderHtml(matrixPage(results)));
  if (onGitHub()) {
    if (github.annotate) for (const line of matrixAnnotations(results)) process.stdout.write(`${line}\n`);
    appendStepSummary(matrixSummary(results, missing));
  }
}
