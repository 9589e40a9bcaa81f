import { appendFileSync } from 'node:fs';

/**
 * GitHub Actions workflow commands (docs.github.com: "Workflow commands for GitHub Actions"):
 * annotations printed on stdout, and the job summary appended to $GITHUB_STEP_SUMMARY. Only
 * when GITHUB_ACTIONS is "true"; elsewhere nothing is printed or written.
 */

export function onGitHub(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error title=...::message`: a failure shown on the run's page. */
export function errorAnnotation(title: string, message: string): string {
  return `::error title=${escapeProperty(title)}::${escapeData(message)}`;
}

/** Appends markdown to the job summary, if the runner gave a summary file. */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file === undefined || file === '') return false;
  appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return true;
}
