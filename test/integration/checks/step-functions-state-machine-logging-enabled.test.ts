import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createStepFunctionsClients } from '../../../functions/checks/stepfunctions/clients.ts';
import { rules } from '../../../functions/checks/stepfunctions/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { accessDenied } from '../../support/service-errors.ts';
import { createStateMachine, stateMachineResource } from '../../support/state-machines.ts';

const CHECK = 'step-functions-state-machine-logging-enabled';
const clients = createStepFunctionsClients();
const LOG_GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/order-flow';

function logging(level: 'ALL' | 'ERROR' | 'FATAL' | 'OFF', logGroupArns: string[] = [`${LOG_GROUP}:*`]) {
  return {
    loggingConfiguration: {
      level,
      includeExecutionData: true,
      destinations: logGroupArns.map((logGroupArn) => ({ cloudWatchLogsLogGroup: { logGroupArn } })),
    },
  };
}

describe(`${CHECK} (moto)`, () => {
  it('passes a machine that logs ALL to a log group', async () => {
    const arn = await createStateMachine(clients.sfn, 'logs-all', logging('ALL'));

    const result = await runCheck(CHECK, rules, clients, stateMachineResource(arn));

    expect(result).toMatchObject({
      status: 'PASS',
      evidence: { level: 'ALL', logGroupArns: [`${LOG_GROUP}:*`] },
    });
  });

  it('fails a machine without logging configuration', async () => {
    const arn = await createStateMachine(clients.sfn, 'logs-none');

    const result = await runCheck(CHECK, rules, clients, stateMachineResource(arn));

    expect(result).toMatchObject({ status: 'FAIL', message: 'logging is OFF' });
  });

  it('fails a level without destinations', async () => {
    const arn = await createStateMachine(clients.sfn, 'logs-nowhere', logging('ERROR', []));

    const result = await runCheck(CHECK, rules, clients, stateMachineResource(arn));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'logging level is ERROR but no log group receives the logs',
    });
  });

  it('fails a level below logLevel and passes one at or above it', async () => {
    const arn = await createStateMachine(clients.sfn, 'logs-error', logging('ERROR'));

    const belowAll = await runCheck(CHECK, rules, clients, stateMachineResource(arn), {
      params: { logLevel: 'ALL' },
    });
    const atError = await runCheck(CHECK, rules, clients, stateMachineResource(arn), {
      params: { logLevel: 'error' },
    });
    const aboveFatal = await runCheck(CHECK, rules, clients, stateMachineResource(arn), {
      params: { logLevel: 'FATAL' },
    });

    expect(belowAll).toMatchObject({
      status: 'FAIL',
      message: 'logging level is ERROR, below the required ALL',
    });
    expect(atError.status).toBe('PASS');
    expect(aboveFatal.status).toBe('PASS');
  });

  it('checks destinations against cloudWatchLogGroupArns, with or without the :* suffix', async () => {
    const arn = await createStateMachine(clients.sfn, 'logs-listed', logging('ALL'));

    const listed = await runCheck(CHECK, rules, clients, stateMachineResource(arn), {
      params: { cloudWatchLogGroupArns: [LOG_GROUP] },
    });
    const unlisted = await runCheck(CHECK, rules, clients, stateMachineResource(arn), {
      params: { cloudWatchLogGroupArns: 'arn:aws:logs:us-east-1:123456789012:log-group:central' },
    });

    expect(listed.status).toBe('PASS');
    expect(unlisted.status).toBe('FAIL');
    expect(unlisted.message).toContain('not an allowed log group');
  });

  it('is an ERROR when the state machine does not exist', async () => {
    const result = await runCheck(
      CHECK,
      rules,
      clients,
      stateMachineResource('arn:aws:states:us-east-1:123456789012:stateMachine:gone'),
    );

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('StateMachineDoesNotExist');
  });

  describe('metadata only and access denied (SDK mock: moto ignores includedData and does not enforce IAM)', () => {
    const sfn = new SFNClient({});
    const mock = mockClient(sfn);
    afterEach(() => mock.reset());

    it('asks for metadata only, so a CMK-encrypted machine needs no kms:Decrypt', async () => {
      mock.onAnyCommand().resolves(logging('ALL'));

      await runCheck(
        CHECK,
        rules,
        { sfn },
        stateMachineResource('arn:aws:states:us-east-1:123456789012:stateMachine:m'),
      );

      expect(mock.calls()[0]?.args[0].input).toMatchObject({ includedData: 'METADATA_ONLY' });
    });

    it('is an ERROR that names the missing permission', async () => {
      mock.onAnyCommand().rejects(accessDenied());

      const result = await runCheck(
        CHECK,
        rules,
        { sfn },
        stateMachineResource('arn:aws:states:us-east-1:123456789012:stateMachine:m'),
      );

      expect(result.status).toBe('ERROR');
      expect(result.message).toContain('states:DescribeStateMachine');
    });
  });
});
