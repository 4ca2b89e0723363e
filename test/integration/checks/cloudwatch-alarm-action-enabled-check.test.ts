import { describe, expect, it } from 'vitest';
import { createCloudWatchClients } from '../../../functions/checks/cloudwatch/clients.ts';
import { rules } from '../../../functions/checks/cloudwatch/handler.ts';
import { alarmResource, putAlarm, TOPIC_ARN } from '../../support/alarms.ts';
import { runCheck } from '../../support/check-harness.ts';

const CHECK = 'cloudwatch-alarm-action-enabled-check';
const clients = createCloudWatchClients();

describe(`${CHECK} (moto)`, () => {
  it('passes an alarm with actions enabled (the default)', async () => {
    const alarm = await putAlarm(clients.cloudWatch, 'enabled', { AlarmActions: [TOPIC_ARN] });

    const result = await runCheck(CHECK, rules, clients, alarmResource(alarm));

    expect(result).toMatchObject({ status: 'PASS', message: 'the alarm actions are enabled' });
  });

  it('fails an alarm with actions disabled', async () => {
    const alarm = await putAlarm(clients.cloudWatch, 'disabled', {
      AlarmActions: [TOPIC_ARN],
      ActionsEnabled: false,
    });

    const result = await runCheck(CHECK, rules, clients, alarmResource(alarm));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'the alarm actions are disabled, so nothing happens when it fires',
    });
  });

  it('is an ERROR when the alarm does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, alarmResource('gone'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('AlarmNotFoundError');
  });
});
