import type { CheckReport, RuleId } from '../../check/report-types.js';

/**
 * What the HTML report shows: a list of checks (one for `check`, one per fixture × isolation ×
 * OS for `matrix` and `merge`, one per case for `fuzz`), each with its report when it ran. The
 * renderer knows nothing of fixtures: a caller that judges against declared deviations
 * (the matrix) says so per rule in `declared` and `unexpected`.
 */
export interface HtmlCheck {
  /** The tool or case name (the filter "tool" and the row's label). */
  tool: string;
  isolation: string;
  /** The OS the check ran on (linux, darwin). */
  os: string;
  /** The report; absent when the check was skipped or could not run. */
  report?: CheckReport;
  /** Why it did not run (a missing requirement). */
  skipped?: string;
  /** Why it could not finish. */
  error?: string;
  /** Rules whose failure is declared (a known deviation of the tool): marked, not flagged. */
  declared?: readonly RuleId[];
  /** Rules whose result differs from what was declared (a regression or an out-of-date manifest): flagged. */
  unexpected?: readonly RuleId[];
}

/** A section of text and one table before the checks (fuzz: what breaks the daemon, every run). */
export interface HtmlSection {
  heading: string;
  /** Plain paragraphs; `code` ones are shown as command lines to copy. */
  paragraphs?: readonly { text: string; code?: boolean }[];
  table?: { caption: string; columns: readonly string[]; rows: readonly (readonly string[])[] };
}

export interface HtmlReportInput {
  /** The page's title and first heading. */
  title: string;
  /** One line under the heading (the command, the seed, how it was made). */
  subtitle?: string;
  /** Replaces the summary line ("N checks, M failing") where the checks are not what was run (fuzz). */
  summary?: string;
  /** Shown after the summary, before the grid of checks. */
  sections?: readonly HtmlSection[];
  checks: readonly HtmlCheck[];
}

/** A check's id in the page (for links from the grid to its section). */
export function checkId(index: number): string {
  return `check-${index}`;
}

/** The page of one `check`: its report as the only row. */
export function checkPage(report: CheckReport, os: string = process.platform): HtmlReportInput {
  const tool = report.command[0]?.split('/').pop() ?? 'command';
  return {
    title: `daemonspec check: ${report.verdict === 'pass' ? '✓ pass' : '✗ FAIL'} · ${tool}`,
    subtitle: `${report.command.join(' ')} · profile ${report.profile} · seed ${report.seed}`,
    checks: [{ tool, isolation: report.isolation, os, report }],
  };
}
