import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createLogsClients } from '../../../functions/checks/logs/clients.ts';
import { rules } from '../../../functions/checks/logs/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'cw-loggroup-retention-period-check';
const clients = createLogsClients();
const logGroupRef = (name: string) => ({
  logicalId: 'AppLogs',
  physicalId: name,
  type: 'AWS::Logs::LogGroup',
});

async function createLogGroup(name: string, retentionInDays?: number) {
  await clients.cloudWatchLogs.send(new CreateLogGroupCommand({ logGroupName: name }));
  if (retentionInDays !== undefined) {
    await clients.cloudWatchLogs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays }));
  }
}

describe(`${CHECK} (moto)`, () => {
  it('passes a group that never expires its logs, as Config does', async () => {
    await createLogGroup('/app/forever');

    const result = await runCheck(CHECK, rules, clients, logGroupRef('/app/forever'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'the log group never expires its logs',
      evidence: { retentionInDays: null, MinRetentionTime: 365 },
    });
  });

  it.each([365, 400])('passes a group keeping logs %i days against the default 365', async (days) => {
    await createLogGroup(`/app/kept-${days}`, days);

    const result = await runCheck(CHECK, rules, clients, logGroupRef(`/app/kept-${days}`));

    expect(result).toMatchObject({ status: 'PASS', message: `logs are kept ${days} day(s)` });
  });

  it('fails a group keeping logs fewer days than the default 365', async () => {
    await createLogGroup('/app/month', 30);

    const result = await runCheck(CHECK, rules, clients, logGroupRef('/app/month'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'logs are kept 30 day(s), less than 365',
      evidence: { retentionInDays: 30, MinRetentionTime: 365 },
    });
  });

  it('honours MinRetentionTime given as text', async () => {
    await createLogGroup('/app/two-months', 60);

    const passing = await runCheck(CHECK, rules, clients, logGroupRef('/app/two-months'), {
      params: { MinRetentionTime: '60' },
    });
    const failing = await runCheck(CHECK, rules, clients, logGroupRef('/app/two-months'), {
      params: { MinRetentionTime: '90' },
    });

    expect(passing.status).toBe('PASS');
    expect(failing).toMatchObject({ status: 'FAIL', message: 'logs are kept 60 day(s), less than 90' });
  });

  it('matches the exact name, not a longer group found by the prefix search', async () => {
    await createLogGroup('/app/prefix', 7);
    await createLogGroup('/app/prefix-long', 3653);

    const result = await runCheck(CHECK, rules, clients, logGroupRef('/app/prefix'));

    expect(result).toMatchObject({ status: 'FAIL', evidence: { retentionInDays: 7 } });
  });

  it('is not applicable to a group outside LogGroupNames', async () => {
    await createLogGroup('/app/out-of-scope', 1);

    const result = await runCheck(CHECK, rules, clients, logGroupRef('/app/out-of-scope'), {
      params: { LogGroupNames: ['/app/other'] },
    });

    expect(result).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'the log group is not in LogGroupNames',
    });
  });

  it('checks a group named in LogGroupNames', async () => {
    await createLogGroup('/app/in-scope', 1);

    const result = await runCheck(CHECK, rules, clients, logGroupRef('/app/in-scope'), {
      params: { LogGroupNames: '/app/other, /app/in-scope' },
    });

    expect(result.status).toBe('FAIL');
  });

  it('is an ERROR when MinRetentionTime is outside 1..3653', async () => {
    await createLogGroup('/app/bad-param', 30);

    const result = await runCheck(CHECK, rules, clients, logGroupRef('/app/bad-param'), {
      params: { MinRetentionTime: 0 },
    });

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('MinRetentionTime must lie in 1..3653');
  });

  it('is an ERROR when the log group does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, logGroupRef('/app/missing'));

    expect(result).toMatchObject({ status: 'ERROR', message: 'log group /app/missing does not exist' });
  });
});

describe(`${CHECK} (SDK mock: forced paging, and moto enforces no IAM)`, () => {
  it('follows nextToken past groups that only share the prefix', async () => {
    const client = new CloudWatchLogsClient({});
    const logs = mockClient(client);
    logs
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/app/paged' })
      .resolvesOnce({ logGroups: [{ logGroupName: '/app/paged-a', retentionInDays: 1 }], nextToken: 't1' })
      .resolvesOnce({ logGroups: [{ logGroupName: '/app/paged', retentionInDays: 731 }] });

    const result = await runCheck(CHECK, rules, { cloudWatchLogs: client }, logGroupRef('/app/paged'));

    expect(result).toMatchObject({ status: 'PASS', message: 'logs are kept 731 day(s)' });
    expect(logs.commandCalls(DescribeLogGroupsCommand)[1]?.args[0].input).toMatchObject({ nextToken: 't1' });
  });

  it('is an ERROR naming logs:DescribeLogGroups when access is denied', async () => {
    const client = new CloudWatchLogsClient({});
    mockClient(client).on(DescribeLogGroupsCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { cloudWatchLogs: client }, logGroupRef('/app/denied'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('logs:DescribeLogGroups');
  });
});
