import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { DEFINITION_PATH } from '../../cli/emulation/runner.ts';
import { registry } from '../../functions/checks/registry.ts';
import { FAMILIES, FAMILY_NAMES } from '../../functions/checks/types.ts';
import {
  buildDefinition,
  CODEDEPLOY_TERMINAL_ERRORS,
  definitionText,
  LAMBDA_TRANSIENT_ERRORS,
  RETRY_POLICY,
  STATE_NAMES,
} from '../../statemachine/definition.ts';

interface State {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ItemSelector?: Record<string, unknown>;
  ResultSelector?: Record<string, unknown>;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; ResultPath?: string; Next: string }[];
  ItemProcessor?: { ProcessorConfig?: { Mode: string }; StartAt: string; States: Record<string, State> };
  ItemReader?: Record<string, unknown>;
  ResultWriter?: Record<string, unknown>;
  TimeoutSeconds?: number;
  Next?: string;
  End?: boolean;
}

const text = readFileSync(DEFINITION_PATH, 'utf8');
const definition = JSON.parse(text) as { TimeoutSeconds: number; States: Record<string, State> };
const states = definition.States;
// CloudFormation fills the ${…} substitutions at deploy time; validate with stand-in values.
const substituted = JSON.parse(
  text
    .replace(/\$\{([A-Za-z0-9]+FunctionArn)\}/g, 'arn:aws:lambda:us-east-1:123456789012:function:$1')
    .replace(/\$\{MetricNamespace\}/g, 'Fitgate')
    .replace(/\$\{HistoryTableName\}/g, 'history'),
);
const maps = [STATE_NAMES.inlineMap, STATE_NAMES.distributedMap].map((name) => states[name] as State);

function allStates(inner: Record<string, State>): [string, State][] {
  return Object.entries(inner).flatMap(([name, state]): [string, State][] => [
    [name, state],
    ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : []),
  ]);
}

describe('statemachine/fitness.asl.json', () => {
  it('is what the builder generates (run `npm run build:asl` after changing statemachine/definition.ts)', () => {
    expect(text).toBe(definitionText(buildDefinition()));
  });

  it('is valid Amazon States Language', () => {
    const { isValid, errors } = aslValidator(substituted);

    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('is JSONPath only (aws-local-stepfunctions runs it locally)', () => {
    expect(text).not.toContain('JSONata');
    expect(text).not.toContain('"Arguments"');
  });

  it('names every state once, the Map processors included', () => {
    const names = allStates(states).map(([name]) => name);

    expect(new Set(names).size).toBe(names.length);
  });

  it('times out well before CodeDeploy stops waiting for the hook (1 hour), and so does every task', () => {
    expect(definition.TimeoutSeconds).toBeLessThanOrEqual(1800);
    for (const [, state] of allStates(states).filter(([, s]) => s.Type === 'Task')) {
      expect(state.TimeoutSeconds).toBeGreaterThan(0);
      expect(state.TimeoutSeconds).toBeLessThan(definition.TimeoutSeconds);
    }
  });

  it('lists one check function per family of the registry and the user-defined families, each an ARN the construct substitutes', () => {
    const functions = states[STATE_NAMES.listResources]?.Parameters?.functions as {
      id: string;
      arn: string;
    }[];
    const families = FAMILIES.filter(
      (family) =>
        family === 'metrics' || family === 'custom' || registry.some((check) => check.family === family),
    );

    expect(functions.map((fn) => fn.id)).toEqual(families);
    for (const fn of functions) {
      expect(fn.arn).toBe(`\${${FAMILY_NAMES[fn.id as keyof typeof FAMILY_NAMES]}ChecksFunctionArn}`);
    }
  });

  it('invokes each work item’s function with one task per item, in both Maps', () => {
    for (const map of maps) {
      const processor = map.ItemProcessor;
      const tasks = Object.values(processor?.States ?? {}).filter((state) => state.Type === 'Task');

      expect(map.ItemSelector).toMatchObject({
        'workItem.$': '$$.Map.Item.Value',
        'functionArn.$': 'States.ArrayGetItem($.functions, $$.Map.Item.Value.fn)',
      });
      expect(tasks).toHaveLength(1);
      expect(processor?.States[processor.StartAt]).toMatchObject({
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { 'FunctionName.$': '$.functionArn', 'Payload.$': '$' },
        ResultSelector: { 'digest.$': '$.Payload.digest' },
      });
    }
    expect(maps[0]?.ItemSelector).toEqual(maps[1]?.ItemSelector);
  });

  it('retries every Lambda task on the transient Lambda errors, with the one policy, and catches the rest', () => {
    const lambdaTasks = allStates(states).filter(
      ([, state]) => state.Type === 'Task' && /FunctionArn\}$|lambda:invoke$/.test(state.Resource ?? ''),
    );

    expect(lambdaTasks.map(([name]) => name).sort()).toEqual(
      ['Aggregate', 'ListResources', STATE_NAMES.runChecks, STATE_NAMES.runChecksAtScale].sort(),
    );
    for (const [, task] of lambdaTasks) {
      expect(task.Retry).toEqual([{ ErrorEquals: [...LAMBDA_TRANSIENT_ERRORS], ...RETRY_POLICY }]);
      expect(task.Catch?.[0]?.ErrorEquals).toEqual(['States.ALL']);
    }
  });

  it('reads a plan too large for the state from S3 and writes the results there', () => {
    expect(states.WhereAreTheItems).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.itemsLocation', IsPresent: true, Next: STATE_NAMES.distributedMap }],
      Default: STATE_NAMES.inlineMap,
    });
    expect(maps[0]).toMatchObject({
      ItemsPath: '$.items',
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' } },
    });
    expect(maps[1]).toMatchObject({
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' } },
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject' },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
    });
    for (const map of maps) expect(map).toMatchObject({ MaxConcurrencyPath: '$.config.maxConcurrency' });
  });

  it('sends every failure after the hook to a path that reports Failed', () => {
    expect(states.ListResources?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'DescribeFailure' },
    ]);
    for (const name of [STATE_NAMES.inlineMap, STATE_NAMES.distributedMap, 'Aggregate']) {
      expect(states[name]?.Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'DescribeAuditFailure' },
      ]);
    }
    expect(states.ReportFailedToCodeDeploy).toMatchObject({ Parameters: { Status: 'Failed' } });
  });

  it('never lets publishing or recording stop the report to CodeDeploy, and never loses a failed history write', () => {
    expect(states.PublishMetrics?.Catch?.[0]?.Next).toBe('RecordHistory');
    expect(states.RecordHistory?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.report.historyError', Next: 'CountHistoryWriteFailure' },
    ]);
    expect(states.CountHistoryWriteFailure).toMatchObject({
      Parameters: { MetricData: [{ MetricName: 'HistoryWriteFailures', Value: 1 }] },
      Next: 'CameFromCodeDeploy',
    });
    expect(states.CountHistoryWriteFailure?.Catch?.[0]?.Next).toBe('CameFromCodeDeploy');
  });

  it('retries every transient failure of a CodeDeploy report and stops only on its terminal answers', () => {
    for (const name of ['ReportToCodeDeploy', 'ReportFailedToCodeDeploy']) {
      const [terminal, transient] = states[name]?.Retry ?? [];

      expect(terminal).toEqual({ ErrorEquals: CODEDEPLOY_TERMINAL_ERRORS, MaxAttempts: 0 });
      expect(transient).toEqual({ ErrorEquals: ['States.ALL'], ...RETRY_POLICY });
    }
    expect(CODEDEPLOY_TERMINAL_ERRORS).toContain('CodeDeploy.LifecycleEventAlreadyCompletedException');
    expect(CODEDEPLOY_TERMINAL_ERRORS).not.toContain('CodeDeploy.ThrottlingException');
  });

  it('reports a failure only for the hook the run speaks for', () => {
    // Before ListResources' verdict the claim is the input; after it, the deployment ListResources confirmed.
    expect(states.DescribeFailure).toMatchObject({
      Parameters: { 'input.$': '$$.Execution.Input' },
    });
    expect(states.DescribeAuditFailure).toMatchObject({
      Parameters: { 'input.$': '$.deployment' },
    });
    expect(states.FailureCameFromCodeDeploy).toMatchObject({
      Choices: [
        {
          And: [
            { Variable: '$.input.hookExecutionId', IsPresent: true },
            { Not: { Variable: '$.failure.Error', StringEquals: 'AdHocAuditError' } },
          ],
          Next: 'ReportFailedToCodeDeploy',
        },
      ],
      Default: 'AuditFailed',
    });
  });

  it('treats an already completed hook as reported', () => {
    expect(states.ReportToCodeDeploy?.Catch?.[0]).toMatchObject({
      ErrorEquals: ['CodeDeploy.LifecycleEventAlreadyCompletedException'],
      Next: 'Done',
    });
  });
});
