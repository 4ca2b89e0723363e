/**
 * One prediction: a template deployed into the embedded emulator with the deploy helper, the real
 * workflow run on it with trigger `predict`, and the report completed with what the emulator could
 * not know (limits.ts): those results are NOT_APPLICABLE with the reason, before the score.
 */
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Baseline } from '../../functions/aggregate/core.ts';
import { digestResults } from '../../functions/checks/digest.ts';
import { checksFor, familiesFor, findCheck } from '../../functions/checks/registry.ts';
import {
  type CheckResult,
  FAMILIES,
  type Family,
  type ItemResult,
  STACK_RESOURCE_TYPE,
} from '../../functions/checks/types.ts';
import { gateLogicalIdsOf } from '../../functions/list-resources/gate-resources.ts';
import { clientConfig, createS3Client, TIMEOUTS } from '../../functions/shared/clients.ts';
import type { GateConfigInput } from '../../functions/shared/config.ts';
import type { CheckTaskInput, Prediction, Report, WorkItemOutcome } from '../../statemachine/state.ts';
import { describeFailure } from '../commands/audit.ts';
import { type AssemblyStack, stageAssets } from '../emulation/deploy/assets.ts';
import { DeployError, deployStack } from '../emulation/deploy/index.ts';
import { evaluateRules, ruleValues } from '../emulation/deploy/rules.ts';
import { type EventLog, LOCAL_ACCOUNT, runGateLocally } from '../emulation/runner.ts';
import { loadTemplateFile } from '../emulation/template.ts';
import { CliError } from '../errors.ts';
import { formatDelta, formatScore } from '../format/table.ts';
import type { ResolvedBaseline } from './baseline.ts';
import { type Adjustments, adjustmentFor, planPrediction } from './limits.ts';

export interface PredictTarget {
  readonly stackName: string;
  readonly templateFile: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly assembly?: AssemblyStack;
}

export interface PredictRunOptions {
  readonly config?: GateConfigInput;
  readonly baseline: ResolvedBaseline;
  readonly region: string;
  readonly onEvent?: (event: EventLog) => void;
  readonly onNote?: (note: string) => void;
}

type FamilyHandler = (event: unknown) => Promise<unknown>;

/** predict runs no user Lambda: a user-defined check function judges the deployed stack only. */
const CHECK_FUNCTION_NOT_PREDICTED =
  'a user-defined check function runs against the deployed stack; predict does not invoke it';

/** A family's real handler, with the results the emulator cannot know turned NOT_APPLICABLE. */
async function adjustedFamilyHandler(family: Family, adjustments: Adjustments): Promise<FamilyHandler> {
  const module = (await import(`../../functions/checks/${family}/handler.ts`)) as { handler: FamilyHandler };
  return async (event) => {
    const outcome = (await module.handler(event)) as WorkItemOutcome;
    let changed = false;
    const results = outcome.results.map((result): ItemResult => {
      const reason =
        family === 'custom'
          ? CHECK_FUNCTION_NOT_PREDICTED
          : adjustmentFor(adjustments, result.checkId, outcome.resource.logicalId);
      if (!reason || result.status === 'NOT_APPLICABLE') return result;
      changed = true;
      return { checkId: result.checkId, status: 'NOT_APPLICABLE', message: `not predicted: ${reason}` };
    });
    if (!changed) return outcome;
    const budget = (event as CheckTaskInput).messageBudget;
    return {
      ...outcome,
      results,
      digest: digestResults(
        results.map((r) => r.checkId),
        results,
        budget,
      ),
    };
  };
}

/** SSM-typed parameters other than the CDK bootstrap version get a placeholder value in the emulator. */
async function stageSsmParameters(target: PredictTarget, ssm: SSMClient): Promise<string[]> {
  const template = loadTemplateFile(target.templateFile);
  const names: string[] = [];
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    if (!parameter.Type?.startsWith('AWS::SSM::Parameter::Value')) continue;
    const path =
      target.parameters[name] ?? (parameter.Default === undefined ? undefined : String(parameter.Default));
    if (!path || path === target.assembly?.bootstrap?.ssmParameter) continue;
    const list = parameter.Type.includes('List<');
    await ssm.send(
      new PutParameterCommand({
        Name: path,
        Value: list ? 'predict-placeholder-1,predict-placeholder-2' : 'predict-placeholder',
        Type: list ? 'StringList' : 'String',
        Overwrite: true,
      }),
    );
    names.push(name);
  }
  return names;
}

function verdictLine(report: Report, baseline: ResolvedBaseline, unpredictable: number): string {
  const stack = report.stack;
  const limits =
    unpredictable > 0 ? `; ${unpredictable} findings could not be predicted (see prediction)` : '';
  if (report.decision === 'Failed') {
    const more = report.reasons.length > 1 ? ` (+${report.reasons.length - 1} more)` : '';
    return `✗ ${stack} would fail the gate: ${report.reasons[0] ?? 'Failed'}${more}`;
  }
  if (report.fitness === null)
    return `✓ ${stack} would pass the gate: nothing in it could be scored${limits}`;
  if (report.baseline === null) {
    return `✓ ${stack} would pass the gate: fitness ${formatScore(report.fitness)}, no baseline to compare with (${baseline.source.detail})${limits}`;
  }
  return (
    `✓ ${stack} would pass the gate: fitness ${formatScore(report.fitness)} against baseline ${formatScore(report.baseline)} ` +
    `(${formatDelta(report.fitness, report.baseline)}), ${report.diff.new.length} new and ${report.diff.fixed.length} fixed findings${limits}`
  );
}

/** The stack pseudo-resource of the report, for results about the stack as a whole. */
function stackResource(report: Report): Pick<CheckResult, 'logicalId' | 'physicalId'> {
  const existing = report.results.find((result) => result.resourceType === STACK_RESOURCE_TYPE);
  return existing
    ? { logicalId: existing.logicalId, physicalId: existing.physicalId }
    : { logicalId: report.stack, physicalId: report.stack };
}

/** NOT_APPLICABLE results for what never ran: runtime checks, and checks of resources not created. */
function addedResults(report: Report, plan: ReturnType<typeof planPrediction>): CheckResult[] {
  const stack = stackResource(report);
  const added: CheckResult[] = [];
  for (const limit of plan.limits) {
    if (limit.kind !== 'runtime-data') continue;
    const check = findCheck(limit.subject);
    if (!check || report.results.some((result) => result.checkId === check.id)) continue;
    added.push({
      checkId: check.id,
      resourceType: STACK_RESOURCE_TYPE,
      ...stack,
      status: 'NOT_APPLICABLE',
      severity: check.severity,
      message: `not predicted: ${limit.reason}`,
    });
  }
  for (const entry of plan.uncreated) {
    for (const family of familiesFor(entry.type)) {
      for (const check of checksFor(family, entry.type, 'predict')) {
        added.push({
          checkId: check.id,
          resourceType: entry.type,
          logicalId: entry.logicalId,
          physicalId: '',
          status: 'NOT_APPLICABLE',
          severity: check.severity,
          message: `not predicted: ${entry.logicalId} is not in the emulator (${entry.reason})`,
        });
      }
    }
  }
  return added;
}

export async function predictStack(target: PredictTarget, options: PredictRunOptions): Promise<Report> {
  const template = loadTemplateFile(target.templateFile);
  const rules = evaluateRules(
    template,
    ruleValues(template, {
      ...target.parameters,
      ...(target.assembly?.bootstrap ? { BootstrapVersion: String(target.assembly.bootstrap.version) } : {}),
    }),
  );
  if (rules.violated.length > 0) {
    throw new DeployError(
      target.templateFile,
      target.stackName,
      `the template's Rules refuse it: ${rules.violated.join('; ')}`,
    );
  }
  const ssm = new SSMClient(clientConfig(TIMEOUTS.cli));
  const notes = rules.notEvaluated.map((rule) => `rule ${rule} was not evaluated`);
  if (target.assembly) {
    const staged = await stageAssets(target.assembly, {
      s3: createS3Client(),
      ssm,
      accountId: LOCAL_ACCOUNT,
      region: options.region,
    });
    notes.push(...staged.notes);
  }
  const deployTimeParameters = await stageSsmParameters(target, ssm);
  const deployed = await deployStack({
    stackName: target.stackName,
    template: target.templateFile,
    parameters: target.parameters,
    pruneUnsupported: true,
    terminationProtection: target.assembly?.terminationProtection ?? false,
    timeoutMs: 120_000,
  });
  // A SAM template's limits are those of what it expands to.
  const plan = planPrediction(deployed.sam?.template ?? template, deployed, {
    terminationProtectionKnown: target.assembly !== undefined,
    deployTimeParameters,
  });
  const familyHandlers: Partial<Record<Family, FamilyHandler>> = {};
  for (const family of FAMILIES)
    familyHandlers[family] = await adjustedFamilyHandler(family, plan.adjustments);

  let failure: unknown;
  const baseline: Baseline | undefined = options.baseline.baseline;
  const run = await runGateLocally(
    { stackName: target.stackName, trigger: 'predict' },
    {
      ...(options.config ? { config: options.config } : {}),
      // A synthesized FitnessGate lists its own resources in its definition; the deployed one hands them in.
      gateResources: { stackId: deployed.stackId, logicalIds: gateLogicalIdsOf(template) },
      baseline: async () => baseline,
      familyHandlers,
      onEvent: (event) => {
        if (event.type === 'StateEntered' && event.state.name === 'DescribeFailure') {
          failure = (event.state.input as { failure?: unknown } | undefined)?.failure;
        }
        options.onEvent?.(event);
      },
    },
  );
  if (run.status !== 'SUCCEEDED' || !run.report) {
    throw new CliError(
      `the fitness workflow failed on ${target.stackName}: ${describeFailure(failure ?? run.error)}`,
    );
  }
  const report = run.report;
  const added = addedResults(report, plan);
  const summary = { ...report.summary, NOT_APPLICABLE: report.summary.NOT_APPLICABLE + added.length };
  const unpredictable =
    report.results.filter((result) => result.message.startsWith('not predicted: ')).length + added.length;
  const prediction: Prediction = {
    template: target.templateFile,
    ...(target.assembly ? { assemblyStack: target.assembly.id } : {}),
    verdict: verdictLine(report, options.baseline, unpredictable),
    baseline: options.baseline.source,
    limits: plan.limits,
  };
  return {
    ...report,
    summary,
    notes: [...report.notes.filter((note) => !note.startsWith('no history table')), ...notes],
    results: [...report.results, ...added],
    prediction,
  };
}
