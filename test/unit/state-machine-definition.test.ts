import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { DEFINITION_PATH } from '../../cli/emulation/runner.ts';
import { FAMILIES } from '../../functions/checks/types.ts';

interface State {
  Type: string;
  Resource?: string;
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Choices?: { Variable: string; StringEquals: string; Next: string }[];
  ItemProcessor?: { States: Record<string, State> };
  TimeoutSeconds?: number;
}

const text = readFileSync(DEFINITION_PATH, 'utf8');
const definition = JSON.parse(text) as { TimeoutSeconds: number; States: Record<string, State> };
// CloudFormation fills the ${…} substitutions at deploy time; validate with stand-in values.
const substituted = JSON.parse(
  text
    .replace(/\$\{([A-Za-z0-9]+FunctionArn)\}/g, 'arn:aws:lambda:us-east-1:123456789012:function:$1')
    .replace('${MetricNamespace}', 'Fitgate')
    .replace('${HistoryTableName}', 'history'),
);
const map = definition.States.CheckEachWorkItem;
const processor = map?.ItemProcessor?.States ?? {};

describe('statemachine/fitness.asl.json', () => {
  it('is valid Amazon States Language', () => {
    const { isValid, errors } = aslValidator(substituted);

    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('is JSONPath only (aws-local-stepfunctions runs it locally)', () => {
    expect(text).not.toContain('JSONata');
    expect(text).not.toContain('"Arguments"');
  });

  it('times out well before CodeDeploy stops waiting for the hook (1 hour)', () => {
    expect(definition.TimeoutSeconds).toBeLessThanOrEqual(1800);
  });

  it('routes every check family to its own task, with the same retry and catch', () => {
    const route = processor.RouteByFamily;
    const routed = new Map(route?.Choices?.map((choice) => [choice.StringEquals, choice.Next]));

    expect([...routed.keys()].sort()).toEqual([...FAMILIES].sort());
    const tasks = [...routed.values()].map((name) => processor[name]);
    for (const task of tasks) {
      expect(task?.Type).toBe('Task');
      expect(task?.Retry).toEqual(tasks[0]?.Retry);
      expect(task?.Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'CheckFailed' },
      ]);
    }
    expect(tasks[0]?.Retry?.[0]?.ErrorEquals).toEqual(
      expect.arrayContaining([
        'Lambda.TooManyRequestsException',
        'Lambda.ServiceException',
        'ThrottledError',
      ]),
    );
  });

  it('keeps the inline Map within its concurrency limit, set by configuration', () => {
    expect(map).toMatchObject({ Type: 'Map', MaxConcurrencyPath: '$.config.maxConcurrency' });
  });

  it('sends every failure after the hook to a path that reports Failed', () => {
    expect(definition.States.ListResources?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'DescribeFailure' },
    ]);
    for (const name of ['CheckEachWorkItem', 'Aggregate']) {
      expect(definition.States[name]?.Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'DescribeAuditFailure' },
      ]);
    }
    expect(definition.States.ReportFailedToCodeDeploy).toMatchObject({ Parameters: { Status: 'Failed' } });
  });

  it('reports a failure only for the hook the run speaks for', () => {
    // Before ListResources' verdict the claim is the input; after it, the deployment ListResources confirmed.
    expect(definition.States.DescribeFailure).toMatchObject({
      Parameters: { 'input.$': '$$.Execution.Input' },
    });
    expect(definition.States.DescribeAuditFailure).toMatchObject({
      Parameters: { 'input.$': '$.deployment' },
    });
    expect(definition.States.FailureCameFromCodeDeploy).toMatchObject({
      Choices: [
        {
          And: [
            { Variable: '$.input.hookExecutionId', IsPresent: true },
            { Not: { Variable: '$.failure.Error', StringEquals: 'AdHocAuditError' } },
          ],
          Next: 'ReportFailedToCodeDeploy',
        },
      ],
      Default: 'GateFailed',
    });
  });

  it('never lets publishing or recording stop the report to CodeDeploy', () => {
    expect(definition.States.PublishMetrics?.Catch?.[0]?.Next).toBe('RecordHistory');
    expect(definition.States.RecordHistory?.Catch?.[0]?.Next).toBe('CameFromCodeDeploy');
  });

  it('treats an already completed hook as reported', () => {
    expect(definition.States.ReportToCodeDeploy?.Catch?.[0]).toMatchObject({
      ErrorEquals: ['CodeDeploy.LifecycleEventAlreadyCompletedException'],
      Next: 'Done',
    });
  });
});
