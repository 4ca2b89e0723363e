import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createLogsClients } from '../../../functions/checks/logs/clients.ts';
import { rules } from '../../../functions/checks/logs/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'cloudwatch-log-group-encrypted';
const clients = createLogsClients();
const logGroupRef = (name: string) => ({
  logicalId: 'AppLogs',
  physicalId: name,
  type: 'AWS::Logs::LogGroup',
});
const KEY_A = 'arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111';
const KEY_B = 'arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222';

async function createLogGroup(name: string, kmsKeyId?: string) {
  // moto lacks AssociateKmsKey (HTTP 500), so the key is set at creation.
  await clients.cloudWatchLogs.send(new CreateLogGroupCommand({ logGroupName: name, kmsKeyId }));
}

describe(`${CHECK} (moto)`, () => {
  it('passes a group encrypted with a KMS key', async () => {
    await createLogGroup('/app/encrypted', KEY_A);

    const result = await runCheck(CHECK, rules, clients, logGroupRef('/app/encrypted'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: `the log group is encrypted with ${KEY_A}`,
      evidence: { kmsKeyId: KEY_A },
    });
  });

  it('fails a group encrypted only by the service', async () => {
    await createLogGroup('/app/plain');

    const result = await runCheck(CHECK, rules, clients, logGroupRef('/app/plain'));

    expect(result).toMatchObject({ status: 'FAIL', evidence: { kmsKeyId: null } });
    expect(result.message).toContain('service-owned key');
  });

  it('passes the key required by KmsKeyId', async () => {
    await createLogGroup('/app/required-key', KEY_A);

    const result = await runCheck(CHECK, rules, clients, logGroupRef('/app/required-key'), {
      params: { KmsKeyId: KEY_A },
    });

    expect(result.status).toBe('PASS');
  });

  it('fails a key other than the one required by KmsKeyId', async () => {
    await createLogGroup('/app/other-key', KEY_B);

    const result = await runCheck(CHECK, rules, clients, logGroupRef('/app/other-key'), {
      params: { KmsKeyId: KEY_A },
    });

    expect(result).toMatchObject({
      status: 'FAIL',
      message: `the log group is encrypted with ${KEY_B}, not with ${KEY_A}`,
    });
  });

  it('matches the exact name, not a longer group found by the prefix search', async () => {
    await createLogGroup('/app/exact');
    await createLogGroup('/app/exact-encrypted', KEY_A);

    const result = await runCheck(CHECK, rules, clients, logGroupRef('/app/exact'));

    expect(result.status).toBe('FAIL');
  });

  it('is an ERROR when the log group does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, logGroupRef('/app/missing'));

    expect(result).toMatchObject({ status: 'ERROR', message: 'log group /app/missing does not exist' });
  });
});

describe(`${CHECK} (SDK mock: moto enforces no IAM)`, () => {
  it('is an ERROR naming logs:DescribeLogGroups when access is denied', async () => {
    const client = new CloudWatchLogsClient({});
    mockClient(client).on(DescribeLogGroupsCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { cloudWatchLogs: client }, logGroupRef('/app/denied'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('logs:DescribeLogGroups');
  });
});
