/**
 * The history table: one item per execution (partition `stackName`, sort `runId` =
 * `<startedAt>#<executionName>`), the source of the baseline and of `fitgate history`.
 *
 * Writing: the item is measured with DynamoDB's own size rules and cut to a budget, with the count
 * of what was cut recorded. Reading: every attribute is checked; an item that is corrupt or says
 * contradictory things comes back with its problems, and never becomes a baseline.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  DEPLOYMENT_OUTCOMES,
  type Deployment,
  type DeploymentOutcome,
  type HistoryCoverage,
  type HistoryItem,
  type HistoryRecord,
  isHookTrigger,
  isTrigger,
  type OutcomeSource,
  type Trigger,
} from '../../statemachine/state.ts';
import { failingFindings, type Scored } from './core.ts';

/**
 * DynamoDB refuses items over 400 KB; the item also travels in the Aggregate output, inside Step
 * Functions' 256 KiB state, next to the report. 64 KiB leaves room for both (and for the outcome
 * attributes the tracker adds later): on the worst stacks findings and reasons are cut to fit.
 */
export const HISTORY_ITEM_BUDGET_BYTES = 64 * 1024;
/** One reason of a history item: the full text stays in the report. */
export const MAX_RECORDED_REASON_BYTES = 512;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** Significant digits of a DynamoDB number: leading and trailing zeroes are trimmed. */
function numberSize(text: string): number {
  const digits = text
    .replace(/^[-+]/, '')
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(digits.length / 2) + 1;
}

/**
 * The size DynamoDB charges for one attribute value, by the rules of
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html:
 * strings and binaries their bytes, numbers 1 byte per two significant digits + 1, null and
 * Boolean 1 byte, lists and maps 3 bytes + 1 byte per element + the elements (a map's element
 * counts its name too). Sets count their members.
 */
export function attributeValueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L !== undefined)
    return value.L.reduce((sum, element) => sum + 1 + attributeValueSize(element), 3);
  if (value.M !== undefined) {
    return Object.entries(value.M).reduce(
      (sum, [name, element]) => sum + utf8(name) + 1 + attributeValueSize(element),
      3,
    );
  }
  if (value.SS !== undefined) return value.SS.reduce((sum, member) => sum + utf8(member), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, member) => sum + numberSize(member), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, member) => sum + member.byteLength, 0);
  return 0;
}

/** An item's size as DynamoDB counts it against the 400 KB limit: attribute names plus values. */
export function itemSize(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + attributeValueSize(value), 0);
}

function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8(text) <= maxBytes) return text;
  let cut = text.slice(0, maxBytes);
  while (utf8(`${cut}…`) > maxBytes) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Keeps the first entries of a list while each (1 byte of list overhead + its bytes) fits the room. */
function takeWhileFits(entries: readonly string[], room: number): { kept: string[]; used: number } {
  const kept: string[] = [];
  let used = 0;
  for (const entry of entries) {
    const size = 1 + utf8(entry);
    if (used + size > room) break;
    kept.push(entry);
    used += size;
  }
  return { kept, used };
}

/**
 * Cuts a record to the item budget, measured exactly: the first reason (what `fitgate history`
 * shows) and then the findings (what the next run's diff needs) come first; the other reasons fill
 * what room is left. Cut entries are counted in `findingsOmitted` / `reasonsOmitted`.
 */
export function fitRecord(record: HistoryRecord, budgetBytes = HISTORY_ITEM_BUDGET_BYTES): HistoryRecord {
  const reasons = record.reasons.map((reason) => truncateUtf8(reason, MAX_RECORDED_REASON_BYTES));
  // Measured with both counters present at their largest, so adding them later cannot overflow.
  const bare = itemSize(
    toItem({
      ...record,
      reasons: [],
      findings: [],
      reasonsOmitted: reasons.length,
      findingsOmitted: record.findings.length,
    }),
  );
  let room = budgetBytes - bare;
  const first = takeWhileFits(reasons.slice(0, 1), room);
  room -= first.used;
  const findings = takeWhileFits(record.findings, room);
  room -= findings.used;
  const rest = takeWhileFits(reasons.slice(1), room);
  const keptReasons = [...first.kept, ...rest.kept];
  const { findingsOmitted: _f, reasonsOmitted: _r, ...unmarked } = record;
  return {
    ...unmarked,
    reasons: keptReasons,
    findings: findings.kept,
    ...(findings.kept.length < record.findings.length
      ? { findingsOmitted: record.findings.length - findings.kept.length }
      : {}),
    ...(keptReasons.length < reasons.length ? { reasonsOmitted: reasons.length - keptReasons.length } : {}),
  };
}

export function historyRecord(
  { report, results, auditFitness }: Scored,
  execution: { name: string; startedAt: string },
  deployment: Deployment | null,
  releaseId: string | undefined,
): HistoryRecord {
  return fitRecord({
    stackName: report.stack,
    runId: `${execution.startedAt}#${execution.name}`,
    executionName: execution.name,
    startedAt: execution.startedAt,
    trigger: report.trigger,
    ...(deployment?.deploymentId ? { deploymentId: deployment.deploymentId } : {}),
    ...(deployment?.hookExecutionId ? { hookExecutionId: deployment.hookExecutionId } : {}),
    ...(releaseId ? { releaseId } : {}),
    // CodeDeploy has not finished the deployment yet: it cannot, before the gate has answered.
    ...(deployment?.deploymentId ? { outcome: 'PENDING' as const } : {}),
    fitness: report.fitness,
    quality: report.quality,
    complexity: report.complexity,
    penalty: report.penalty,
    baseline: report.baseline,
    decision: report.decision,
    accepted: false,
    auditFitness,
    reasons: report.reasons,
    findings: failingFindings(results),
    summary: report.summary,
    coverage: {
      percent: report.coverage.percent,
      judged: report.coverage.audited + report.coverage.throughParent,
      resources: report.coverage.resources,
      noRisk: report.coverage.noRisk,
    },
  });
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
    ...(record.releaseId ? { releaseId: str(record.releaseId) } : {}),
    ...(record.outcome ? { outcome: str(record.outcome) } : {}),
    ...(record.outcomeAt ? { outcomeAt: str(record.outcomeAt) } : {}),
    ...(record.outcomeSource ? { outcomeSource: str(record.outcomeSource) } : {}),
    fitness: maybeNum(record.fitness),
    quality: maybeNum(record.quality),
    complexity: num(record.complexity),
    penalty: num(record.penalty),
    baseline: maybeNum(record.baseline),
    decision: str(record.decision),
    accepted: { BOOL: record.accepted },
    ...(record.auditFitness !== undefined ? { auditFitness: maybeNum(record.auditFitness) } : {}),
    reasons: { L: record.reasons.map(str) },
    findings: { L: record.findings.map(str) },
    ...(record.findingsOmitted ? { findingsOmitted: num(record.findingsOmitted) } : {}),
    ...(record.reasonsOmitted ? { reasonsOmitted: num(record.reasonsOmitted) } : {}),
    summary: { M: Object.fromEntries(Object.entries(record.summary).map(([k, v]) => [k, num(v)])) },
    ...(record.coverage
      ? {
          coverage: {
            M: {
              percent: maybeNum(record.coverage.percent),
              judged: num(record.coverage.judged),
              resources: num(record.coverage.resources),
              noRisk: num(record.coverage.noRisk),
            },
          },
        }
      : {}),
  };
}

/** The coverage figure of an item (absent in items written before it existed); problems say what is wrong. */
function readCoverage(value: AttributeValue | undefined, problems: string[]): HistoryCoverage | undefined {
  if (value === undefined) return undefined;
  const fields = value.M;
  if (fields === undefined) {
    problems.push('coverage is not a map');
    return undefined;
  }
  const count = (name: string, nullable = false): number | null | undefined => {
    const field = fields[name];
    if (nullable && field?.NULL === true) return null;
    const parsed = typeof field?.N === 'string' ? Number(field.N) : Number.NaN;
    if (Number.isFinite(parsed)) return parsed;
    problems.push(`coverage.${name} is not a number${nullable ? ' or null' : ''}`);
    return undefined;
  };
  const percent = count('percent', true);
  const judged = count('judged');
  const resources = count('resources');
  const noRisk = count('noRisk');
  if (
    percent === undefined ||
    typeof judged !== 'number' ||
    typeof resources !== 'number' ||
    typeof noRisk !== 'number'
  )
    return undefined;
  return { percent, judged, resources, noRisk };
}

/** `<ISO 8601 UTC time>#<execution name>`, as historyRecord writes it. */
const RUN_ID = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z)#(.+)$/;

/** A history item read back, with everything wrong with it (empty: the item is sound). */
export interface ParsedHistoryItem {
  /** Best effort: what `fitgate history` shows even for an unsound item. */
  readonly record: HistoryRecord;
  readonly problems: readonly string[];
}

/** Reads typed attributes, collecting one problem per attribute of the wrong type or value. */
function attributeReader(item: Record<string, AttributeValue>, problems: string[]) {
  const wrong = (name: string, expected: string) => {
    problems.push(`${name} is not ${expected}`);
    return undefined;
  };
  const string = (name: string, required = false): string | undefined => {
    const value = item[name];
    if (value === undefined) return required ? wrong(name, 'present') : undefined;
    return typeof value.S === 'string' ? value.S : wrong(name, 'a string');
  };
  const number = (name: string, options: { nullable?: boolean; required?: boolean } = {}) => {
    const value = item[name];
    if (value === undefined) return options.required ? (wrong(name, 'present') ?? null) : undefined;
    if (options.nullable && value.NULL === true) return null;
    const parsed = typeof value.N === 'string' ? Number(value.N) : Number.NaN;
    return Number.isFinite(parsed)
      ? parsed
      : (wrong(name, options.nullable ? 'a number or null' : 'a number') ?? null);
  };
  const strings = (name: string): string[] => {
    const value = item[name];
    if (value === undefined) return [];
    if (!Array.isArray(value.L) || !value.L.every((v) => typeof v.S === 'string')) {
      wrong(name, 'a list of strings');
      return [];
    }
    return value.L.map((v) => v.S as string);
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], required = false): T | undefined => {
    const value = string(name, required);
    if (value === undefined) return undefined;
    return (allowed as readonly string[]).includes(value)
      ? (value as T)
      : wrong(name, `one of ${allowed.join(', ')}`);
  };
  return { string, number, strings, oneOf, wrong };
}

export function parseHistoryItem(item: Record<string, AttributeValue>): ParsedHistoryItem {
  const problems: string[] = [];
  const read = attributeReader(item, problems);
  const runId = read.string('runId', true) ?? '';
  const runIdParts = RUN_ID.exec(runId);
  if (runId && (!runIdParts || Number.isNaN(Date.parse(runIdParts[1] ?? '')))) {
    problems.push(`runId ${JSON.stringify(runId.slice(0, 80))} is not <ISO time>#<execution name>`);
  }
  const startedAt = read.string('startedAt', true) ?? '';
  if (runIdParts && startedAt && startedAt !== runIdParts[1]) {
    problems.push(`startedAt ${startedAt} is not the time in its runId`);
  }
  const trigger = read.string('trigger', true);
  if (trigger !== undefined && !isTrigger(trigger))
    problems.push(`trigger ${JSON.stringify(trigger)} is unknown`);
  const decision = read.oneOf('decision', ['Succeeded', 'Failed'] as const, true);
  const acceptedValue = item.accepted;
  const accepted = typeof acceptedValue?.BOOL === 'boolean' ? acceptedValue.BOOL : undefined;
  if (accepted === undefined) read.wrong('accepted', 'true or false');
  const outcome = read.oneOf('outcome', DEPLOYMENT_OUTCOMES);
  const deploymentId = read.string('deploymentId');
  const summaryValue = item.summary;
  const summary: Record<string, number> = {};
  if (summaryValue !== undefined) {
    if (summaryValue.M === undefined) read.wrong('summary', 'a map');
    for (const [status, count] of Object.entries(summaryValue.M ?? {})) {
      const parsed = Number(count.N);
      if (count.N === undefined || !Number.isFinite(parsed)) read.wrong(`summary.${status}`, 'a number');
      else summary[status] = parsed;
    }
  }
  const auditFitness = read.number('auditFitness', { nullable: true });
  const findingsOmitted = read.number('findingsOmitted');
  const reasonsOmitted = read.number('reasonsOmitted');
  const coverage = readCoverage(item.coverage, problems);
  const record: HistoryRecord = {
    stackName: read.string('stackName', true) ?? '',
    runId,
    executionName: read.string('executionName', true) ?? '',
    startedAt,
    trigger: (isTrigger(trigger) ? trigger : 'adhoc') as Trigger,
    deploymentId,
    hookExecutionId: read.string('hookExecutionId'),
    ...optional('releaseId', read.string('releaseId')),
    ...optional('outcome', outcome),
    ...optional('outcomeAt', read.string('outcomeAt')),
    ...optional('outcomeSource', read.oneOf<OutcomeSource>('outcomeSource', ['event', 'GetDeployment'])),
    fitness: read.number('fitness', { nullable: true, required: true }) ?? null,
    quality: read.number('quality', { nullable: true }) ?? null,
    complexity: read.number('complexity') ?? 0,
    penalty: read.number('penalty') ?? 0,
    baseline: read.number('baseline', { nullable: true }) ?? null,
    decision: decision ?? 'Failed',
    accepted: accepted ?? false,
    ...(auditFitness !== undefined ? { auditFitness } : {}),
    reasons: read.strings('reasons'),
    findings: read.strings('findings'),
    ...optional('findingsOmitted', findingsOmitted ?? undefined),
    ...optional('reasonsOmitted', reasonsOmitted ?? undefined),
    summary,
    ...optional('coverage', coverage),
  };
  problems.push(...contradictions(record));
  return { record, problems };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** What a sound item cannot say: an ad-hoc or failed run accepted, an outcome without a deployment. */
function contradictions(record: HistoryRecord): string[] {
  const found: string[] = [];
  if (record.outcome && !record.deploymentId) found.push(`outcome ${record.outcome} without a deployment`);
  if (!record.accepted) return found;
  if (!isHookTrigger(record.trigger)) found.push(`accepted, but a ${record.trigger} run gates no deployment`);
  if (record.decision !== 'Succeeded') found.push('accepted, but the gate decided Failed');
  if (!record.deploymentId) found.push('accepted, but it has no deploymentId');
  const outcome: DeploymentOutcome | undefined = record.outcome;
  if (outcome && outcome !== 'SUCCEEDED') found.push(`accepted, but CodeDeploy's outcome is ${outcome}`);
  return found;
}

/** The best-effort record of an item (for display); baselines use parseHistoryItem's problems too. */
export function fromItem(item: Record<string, AttributeValue>): HistoryRecord {
  return parseHistoryItem(item).record;
}
