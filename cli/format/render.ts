/** Every report format of `audit` and `predict`, for one stack or several (a CDK assembly's). */
import type { CheckDefinition } from '../../functions/checks/registry.ts';
import type { Report } from '../../statemachine/state.ts';
import { reportHtml } from './html.ts';
import { reportJson } from './json.ts';
import { type JunitFindings, reportJunit } from './junit.ts';
import { reportMarkdown } from './markdown.ts';
import { reportSarif, type SarifSource } from './sarif.ts';
import { predictionTable, reportTable } from './table.ts';

export const REPORT_FORMATS = ['table', 'json', 'junit', 'html', 'sarif', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  readonly consoleLink?: string;
  readonly junitFindings?: JunitFindings;
  /** Per report: the template file SARIF results point into. */
  readonly sources?: readonly SarifSource[];
  /** The checks SARIF describes as rules: the registry and the run's user-defined functions. */
  readonly checks?: readonly CheckDefinition[];
}

export function renderReports(
  reports: readonly Report[],
  format: ReportFormat,
  options: RenderOptions = {},
): string {
  switch (format) {
    case 'json':
      return reports.length === 1 ? reportJson(reports[0] as Report) : reportJson(reports as Report[]);
    case 'junit':
      return reportJunit(reports, options.junitFindings);
    case 'html':
      return reports.map(reportHtml).join('');
    case 'sarif':
      return reportSarif(reports, options.sources, options.checks);
    case 'markdown':
      return reportMarkdown(reports);
    default:
      return reports
        .map((report) =>
          report.prediction
            ? predictionTable(report)
            : reportTable(report, options.consoleLink ? { consoleLink: options.consoleLink } : {}),
        )
        .join('\n');
  }
}
