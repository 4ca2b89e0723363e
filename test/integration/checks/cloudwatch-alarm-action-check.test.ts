import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudWatchClients } from '../../../functions/checks/cloudwatch/clients.ts';
import { rules } from '../../../functions/checks/cloudwatch/handler.ts';
import { alarmResource, putAlarm, TOPIC_ARN } from '../../support/alarms.ts';
import { runCheck } from '../../support/check-harness.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'cloudwatch-alarm-action-check';
const clients = createCloudWatchClients();

describe(`${CHECK} (moto)`, () => {
  it('passes an alarm that notifies a topic', async () => {
    const alarm = await putAlarm(clients.cloudWatch, 'notifies', { AlarmActions: [TOPIC_ARN] });

    const result = await runCheck(CHECK, rules, clients, alarmResource(alarm));

    expect(result).toMatchObject({ status: 'PASS', evidence: { AlarmActions: [TOPIC_ARN] } });
  });

  it('fails an alarm without alarm actions, unless alarmActionRequired is false', async () => {
    const alarm = await putAlarm(clients.cloudWatch, 'silent');

    const required = await runCheck(CHECK, rules, clients, alarmResource(alarm));
    const optional = await runCheck(CHECK, rules, clients, alarmResource(alarm), {
      params: { alarmActionRequired: 'false' },
    });

    expect(required).toMatchObject({ status: 'FAIL', message: 'the alarm has no AlarmActions' });
    expect(optional.status).toBe('PASS');
  });

  it('fails missing INSUFFICIENT_DATA and OK actions when they are required', async () => {
    const alarm = await putAlarm(clients.cloudWatch, 'alarm-only', { AlarmActions: [TOPIC_ARN] });

    const result = await runCheck(CHECK, rules, clients, alarmResource(alarm), {
      params: { insufficientDataActionRequired: true, okActionRequired: true },
    });

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'the alarm has no InsufficientDataActions and no OKActions',
    });
  });

  it('passes all three kinds of actions when all are required', async () => {
    const alarm = await putAlarm(clients.cloudWatch, 'all-actions', {
      AlarmActions: [TOPIC_ARN],
      OKActions: [TOPIC_ARN],
      InsufficientDataActions: [TOPIC_ARN],
    });

    const result = await runCheck(CHECK, rules, clients, alarmResource(alarm), {
      params: { insufficientDataActionRequired: true, okActionRequired: true },
    });

    expect(result.status).toBe('PASS');
  });

  it('restricts the actions to action1..action5 when they are given', async () => {
    const alarm = await putAlarm(clients.cloudWatch, 'two-topics', {
      AlarmActions: [TOPIC_ARN, 'arn:aws:sns:us-east-1:123456789012:legacy'],
    });

    const listed = await runCheck(CHECK, rules, clients, alarmResource(alarm), {
      params: { action1: TOPIC_ARN, action2: 'arn:aws:sns:us-east-1:123456789012:legacy' },
    });
    const unlisted = await runCheck(CHECK, rules, clients, alarmResource(alarm), {
      params: { action1: TOPIC_ARN },
    });

    expect(listed.status).toBe('PASS');
    expect(unlisted).toMatchObject({
      status: 'FAIL',
      message:
        'the alarm notifies arn:aws:sns:us-east-1:123456789012:legacy, which is not one of the allowed actions',
    });
  });

  it('is an ERROR when the alarm does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, alarmResource('gone'));

    expect(result).toMatchObject({
      status: 'ERROR',
      message: 'AlarmNotFoundError: alarm gone does not exist',
    });
  });

  describe('composite alarms and access denied (SDK mock: moto has no PutCompositeAlarm and does not enforce IAM)', () => {
    const cloudWatch = new CloudWatchClient({});
    const mock = mockClient(cloudWatch);
    afterEach(() => mock.reset());

    it('reads composite alarms too', async () => {
      mock.on(DescribeAlarmsCommand).resolves({
        MetricAlarms: [],
        CompositeAlarms: [{ AlarmName: 'service-health', AlarmActions: [TOPIC_ARN], ActionsEnabled: true }],
      });

      const result = await runCheck(
        CHECK,
        rules,
        { ...clients, cloudWatch },
        alarmResource('service-health'),
      );

      expect(result.status).toBe('PASS');
      expect(mock.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input).toEqual({
        AlarmNames: ['service-health'],
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      });
    });

    it('is an ERROR that names the missing permission', async () => {
      mock.onAnyCommand().rejects(accessDenied());

      const result = await runCheck(CHECK, rules, { ...clients, cloudWatch }, alarmResource('any'));

      expect(result.status).toBe('ERROR');
      expect(result.message).toContain('cloudwatch:DescribeAlarms');
    });
  });
});
