/**
 * The history table: one item per execution (partition `stackName`, sort `runId` =
 * `<startedAt>#<executionName>`), the source of the baseline and of `fitgate history`.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Deployment, HistoryItem, HistoryRecord, Trigger } from '../../statemachine/state.ts';
import { type Baseline, failingFindings, fitList, type Scored } from './core.ts';

/**
 * The findings an item keeps, most important first: within a byte budget, because the item travels
 * in the state to RecordHistory (256 KiB with the report) and must stay far below DynamoDB's 400 KB.
 */
export const MAX_RECORDED_FINDINGS_BYTES = 48 * 1024;

export function historyRecord(
  { report, results }: Scored,
  execution: { name: string; startedAt: string },
  deployment: Deployment | null,
): HistoryRecord {
  return {
    stackName: report.stack,
    runId: `${execution.startedAt}#${execution.name}`,
    executionName: execution.name,
    startedAt: execution.startedAt,
    trigger: report.trigger,
    ...(deployment?.deploymentId ? { deploymentId: deployment.deploymentId } : {}),
    ...(deployment?.hookExecutionId ? { hookExecutionId: deployment.hookExecutionId } : {}),
    fitness: report.fitness,
    quality: report.quality,
    complexity: report.complexity,
    penalty: report.penalty,
    baseline: report.baseline,
    decision: report.decision,
    accepted: report.decision === 'Succeeded' && report.trigger !== 'adhoc',
    reasons: report.reasons,
    findings: fitList(failingFindings(results), MAX_RECORDED_FINDINGS_BYTES).kept,
    summary: report.summary,
  };
}

const str = (value: string): AttributeValue => ({ S: value });
const num = (value: number): AttributeValue => ({ N: String(value) });
const maybeNum = (value: number | null): AttributeValue => (value === null ? { NULL: true } : num(value));

/** DynamoDB JSON, as the RecordHistory state's putItem takes it. */
export function toItem(record: HistoryRecord): HistoryItem {
  return {
    stackName: str(record.stackName),
    runId: str(record.runId),
    executionName: str(record.executionName),
    startedAt: str(record.startedAt),
    trigger: str(record.trigger),
    ...(record.deploymentId ? { deploymentId: str(record.deploymentId) } : {}),
    ...(record.hookExecutionId ? { hookExecutionId: str(record.hookExecutionId) } : {}),
    fitness: maybeNum(record.fitness),
    quality: maybeNum(record.quality),
    complexity: num(record.complexity),
    penalty: num(record.penalty),
    baseline: maybeNum(record.baseline),
    decision: str(record.decision),
    accepted: { BOOL: record.accepted },
    reasons: { L: record.reasons.map(str) },
    findings: { L: record.findings.map(str) },
    summary: { M: Object.fromEntries(Object.entries(record.summary).map(([k, v]) => [k, num(v)])) },
  };
}

function readNumber(value: AttributeValue | undefined): number | null {
  return value && 'N' in value && value.N !== undefined ? Number(value.N) : null;
}

function readString(value: AttributeValue | undefined): string | undefined {
  return value && 'S' in value ? value.S : undefined;
}

export function fromItem(item: Record<string, AttributeValue>): HistoryRecord {
  const list = (value: AttributeValue | undefined) =>
    value && 'L' in value && value.L ? value.L.map((v) => readString(v) ?? '') : [];
  const summary = item.summary && 'M' in item.summary && item.summary.M ? item.summary.M : {};
  return {
    stackName: readString(item.stackName) ?? '',
    runId: readString(item.runId) ?? '',
    executionName: readString(item.executionName) ?? '',
    startedAt: readString(item.startedAt) ?? '',
    trigger: (readString(item.trigger) ?? 'adhoc') as Trigger,
    deploymentId: readString(item.deploymentId),
    hookExecutionId: readString(item.hookExecutionId),
    fitness: readNumber(item.fitness),
    quality: readNumber(item.quality),
    complexity: readNumber(item.complexity) ?? 0,
    penalty: readNumber(item.penalty) ?? 0,
    baseline: readNumber(item.baseline),
    decision: readString(item.decision) === 'Succeeded' ? 'Succeeded' : 'Failed',
    accepted: Boolean(item.accepted && 'BOOL' in item.accepted && item.accepted.BOOL),
    reasons: list(item.reasons),
    findings: list(item.findings),
    summary: Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, readNumber(v) ?? 0])),
  };
}

export function baselineOf(record: HistoryRecord): Baseline | undefined {
  if (record.fitness === null) return undefined;
  return {
    fitness: record.fitness,
    findings: record.findings,
    since: record.deploymentId ?? record.executionName,
  };
}
