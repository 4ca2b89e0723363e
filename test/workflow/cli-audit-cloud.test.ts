/**
 * `fitgate audit` in cloud mode, in-process. moto holds the gate's stack (with its outputs), the
 * state machine, and takes the real StartExecution; moto does not run executions, so the answers of
 * DescribeExecution and GetExecutionHistory come from a named aws-sdk-client-mock, built from what
 * the same definition returns when run locally.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAudit } from '../../cli/commands/audit.ts';
import { deployStack } from '../../cli/emulation/deploy/index.ts';
import { loadDefinition, runGateLocally } from '../../cli/emulation/runner.ts';
import { CliError } from '../../cli/errors.ts';
import type { CommandIo } from '../../cli/io.ts';
import { createSfnClient } from '../../functions/shared/clients.ts';
import type { Report } from '../../statemachine/state.ts';
import { serviceTemplate } from '../support/gate-fixtures.ts';

const motoSfn = createSfnClient();
// SDK mock: moto keeps every execution RUNNING; the cloud's answers are played here.
const cloudSfn = new SFNClient({});
const cloudSfnMock = mockClient(cloudSfn);
let stateMachineArn = '';
const dir = mkdtempSync(join(tmpdir(), 'fitgate-cloud-'));
let cleanReport: Report;

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

const event = (id: number, type: string, details: Partial<HistoryEvent> = {}): HistoryEvent =>
  ({ id, type, timestamp: new Date(), ...details }) as HistoryEvent;

beforeAll(async () => {
  const created = await motoSfn.send(
    new CreateStateMachineCommand({
      name: 'fitgate-fitness',
      definition: JSON.stringify(loadDefinition()),
      roleArn: 'arn:aws:iam::123456789012:role/fitgate-state-machine',
    }),
  );
  stateMachineArn = created.stateMachineArn ?? '';
  const template = serviceTemplate();
  await deployStack({
    stackName: 'gated-svc',
    template: {
      ...template,
      Outputs: {
        FitnessStateMachineArn: { Value: stateMachineArn },
        FitnessHistoryTable: { Value: 'fitgate-history' },
      },
    },
  });
  await deployStack({ stackName: 'ungated-svc', template });
  const local = await runGateLocally({ stackName: 'gated-svc', trigger: 'adhoc' });
  cleanReport = local.report as Report;
});

afterAll(() => cloudSfnMock.restore());

beforeEach(() => {
  cloudSfnMock.reset();
  cloudSfnMock.on(StartExecutionCommand).callsFake((input) => motoSfn.send(new StartExecutionCommand(input)));
  cloudSfnMock.on(GetExecutionHistoryCommand).resolves({ events: [] });
});

describe('fitgate audit (cloud)', () => {
  it("starts the gate stack's state machine with an ad-hoc input, follows it, and prints the report with the console link", async () => {
    cloudSfnMock
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING' })
      .resolves({ status: 'SUCCEEDED', output: JSON.stringify(cleanReport) });
    const { io, stdout, stderr } = captureIo();

    const code = await runAudit({ stack: 'gated-svc', local: false, format: 'table' }, io, {
      sfn: cloudSfn,
      pollIntervalMs: 10,
    });

    expect(code).toBe(0);
    const { executions = [] } = await motoSfn.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(executions).toHaveLength(1);
    const executionArn = executions[0]?.executionArn ?? '';
    expect(executions[0]?.name).toMatch(/^adhoc-gated-svc-\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    const started = cloudSfnMock.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(JSON.parse(started?.input ?? '')).toEqual({ stackName: 'gated-svc', trigger: 'adhoc' });
    expect(stdout()).toContain('fitgate audit of stack gated-svc (adhoc)');
    expect(stdout().trimEnd().split('\n').pop()).toBe(
      `execution: https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/${executionArn}`,
    );
    expect(stderr()).toBe('');
  });

  it('sends only the policy of --policy, exits 1 on a Failed report, and keeps stdout to the JSON', async () => {
    const failed: Report = {
      ...cleanReport,
      decision: 'Failed',
      reasons: ['fitness 50 is below the minimum 90'],
    };
    cloudSfnMock
      .on(DescribeExecutionCommand)
      .resolves({ status: 'SUCCEEDED', output: JSON.stringify(failed) });
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ policy: { minFitness: 90 } }));
    const { io, stdout, stderr } = captureIo();

    const code = await runAudit(
      { stack: 'gated-svc', local: false, format: 'json', policyFile: policy },
      io,
      { sfn: cloudSfn, pollIntervalMs: 10 },
    );

    expect(code).toBe(1);
    expect(JSON.parse(stdout())).toEqual(failed);
    expect(stderr()).toMatch(
      /^execution: https:\/\/us-east-1\.console\.aws\.amazon\.com\/states\/home\?region=us-east-1#\/v2\/executions\/details\/arn:aws:states:us-east-1:/,
    );
    const started = cloudSfnMock.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(JSON.parse(started?.input ?? '')).toEqual({
      stackName: 'gated-svc',
      trigger: 'adhoc',
      policy: { minFitness: 90 },
    });
  });

  it('shows progress from the execution history', async () => {
    cloudSfnMock
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING' })
      .resolves({ status: 'SUCCEEDED', output: JSON.stringify(cleanReport) });
    cloudSfnMock.on(GetExecutionHistoryCommand).resolves({
      events: [
        event(1, 'ExecutionStarted'),
        event(2, 'TaskStateEntered', { stateEnteredEventDetails: { name: 'ListResources' } }),
        event(3, 'TaskStateExited', {
          stateExitedEventDetails: { name: 'ListResources', output: JSON.stringify({ items: [{}, {}] }) },
        }),
        event(4, 'MapStateEntered', { stateEnteredEventDetails: { name: 'CheckEachWorkItem' } }),
        event(5, 'MapIterationSucceeded'),
        event(6, 'MapIterationSucceeded'),
        event(7, 'TaskStateEntered', { stateEnteredEventDetails: { name: 'Aggregate' } }),
      ],
    });
    const { io, stderr } = captureIo();

    await runAudit({ stack: 'gated-svc', local: false, format: 'json', progress: true }, io, {
      sfn: cloudSfn,
      pollIntervalMs: 10,
    });

    expect(stderr()).toMatch(/^started adhoc-gated-svc-.*: https:\/\/us-east-1\.console/);
    expect(stderr()).toContain('listing the stack’s resources…\nchecking 0/2 work items…\n');
    expect(stderr()).toContain('checking 2/2 work items…\nscoring…\n');
  });

  it('turns a failed execution into one line with the caught failure and the link', async () => {
    cloudSfnMock.on(DescribeExecutionCommand).resolves({
      status: 'FAILED',
      error: 'FitnessGateFailed',
      cause: 'The gate could not evaluate the stack',
    });
    cloudSfnMock.on(GetExecutionHistoryCommand).resolves({
      events: [
        event(9, 'PassStateEntered', {
          stateEnteredEventDetails: {
            name: 'DescribeFailure',
            input: JSON.stringify({
              failure: {
                Error: 'StackNotFoundError',
                Cause: '{"errorType":"StackNotFoundError","errorMessage":"stack gated-svc does not exist"}',
              },
            }),
          },
        }),
      ],
    });
    const { io } = captureIo();

    const audit = runAudit({ stack: 'gated-svc', local: false, format: 'json' }, io, {
      sfn: cloudSfn,
      pollIntervalMs: 10,
    });

    await expect(audit).rejects.toBeInstanceOf(CliError);
    await expect(audit).rejects.toThrow(
      /^execution adhoc-gated-svc-\S+ ended FAILED: StackNotFoundError: stack gated-svc does not exist \(https:\/\/us-east-1\.console/,
    );
  });

  it('uses --state-machine-arn without a gate stack, and names an unknown state machine', async () => {
    cloudSfnMock
      .on(DescribeExecutionCommand)
      .resolves({ status: 'SUCCEEDED', output: JSON.stringify(cleanReport) });
    const { io } = captureIo();

    expect(
      await runAudit({ stack: 'ungated-svc', local: false, format: 'json', stateMachineArn }, io, {
        sfn: cloudSfn,
        pollIntervalMs: 10,
      }),
    ).toBe(0);
    await expect(
      runAudit(
        { stack: 'ungated-svc', local: false, format: 'json', stateMachineArn: `${stateMachineArn}-gone` },
        io,
        { sfn: cloudSfn },
      ),
    ).rejects.toThrow(
      /^cannot start arn:aws:states:us-east-1:123456789012:stateMachine:fitgate-fitness-gone: StateMachineDoesNotExist/,
    );
  });

  it('refuses a --policy that sets more than the policy, and an output that is not a report', async () => {
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ policy: { minFitness: 90 }, maxConcurrency: 4 }));
    cloudSfnMock.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED', output: '{"hello":"world"}' });
    const { io } = captureIo();

    await expect(
      runAudit({ stack: 'gated-svc', local: false, format: 'json', policyFile: policy }, io, {
        sfn: cloudSfn,
      }),
    ).rejects.toThrow(
      /a cloud run takes only "policy" per execution; maxConcurrency belongs to the deployed gate's configuration/,
    );
    await expect(
      runAudit({ stack: 'gated-svc', local: false, format: 'json' }, io, {
        sfn: cloudSfn,
        pollIntervalMs: 10,
      }),
    ).rejects.toThrow(/returned something other than a fitgate report/);
  });
});
