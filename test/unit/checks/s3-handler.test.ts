import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { describe, expect, it } from 'vitest';
import { registry } from '../../../functions/checks/registry.ts';
import { runWorkItem } from '../../../functions/checks/run.ts';
import { rules } from '../../../functions/checks/s3/handler.ts';
import { TEST_STACK } from '../../support/check-harness.ts';
import { bucketRef, mockS3Clients, stackRef } from '../../support/s3-fixtures.ts';
import { serviceError } from '../../support/service-errors.ts';

describe('s3 family handler', () => {
  it('binds a rule to every s3 check of the registry, and to nothing else', () => {
    const s3CheckIds = registry.filter((check) => check.family === 's3').map((check) => check.id);

    expect(Object.keys(rules).sort()).toEqual(s3CheckIds.sort());
    expect(s3CheckIds).toHaveLength(12);
  });

  it('runs the eleven bucket checks on one bucket with one call per fact (SDK mock: counts calls)', async () => {
    const mocked = mockS3Clients();
    mocked.s3
      .on(GetPublicAccessBlockCommand)
      .rejects(serviceError('NoSuchPublicAccessBlockConfiguration', 404))
      .on(GetBucketAclCommand)
      .resolves({ Grants: [] })
      .on(GetBucketPolicyCommand)
      .resolves({ Policy: JSON.stringify({ Statement: [] }) })
      .on(GetBucketPolicyStatusCommand)
      .resolves({ PolicyStatus: { IsPublic: false } })
      .on(GetBucketEncryptionCommand)
      .resolves({
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      })
      .on(GetBucketVersioningCommand)
      .resolves({ Status: 'Enabled' })
      .on(GetBucketLoggingCommand)
      .resolves({})
      .on(GetBucketReplicationCommand)
      .rejects(serviceError('ReplicationConfigurationNotFoundError', 404))
      .on(GetBucketOwnershipControlsCommand)
      .resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } })
      .on(GetBucketLifecycleConfigurationCommand)
      .rejects(serviceError('NoSuchLifecycleConfiguration', 404));
    mocked.s3Control
      .on(GetAccountPublicAccessBlockCommand)
      .rejects(serviceError('NoSuchPublicAccessBlockConfiguration', 404));

    const outcome = await runWorkItem('s3', rules, mocked.clients, {
      workItem: { family: 's3', resource: bucketRef('shared-bucket') },
      stack: TEST_STACK,
      trigger: 'adhoc',
    });

    expect(outcome.results).toHaveLength(11);
    expect(outcome.results.filter((result) => result.status === 'ERROR')).toEqual([]);
    for (const command of [
      GetPublicAccessBlockCommand,
      GetBucketPolicyCommand,
      GetBucketPolicyStatusCommand,
      GetBucketAclCommand,
      GetBucketEncryptionCommand,
      GetBucketVersioningCommand,
    ]) {
      expect(mocked.s3.commandCalls(command), command.name).toHaveLength(1);
    }
    expect(mocked.s3Control.commandCalls(GetAccountPublicAccessBlockCommand)).toHaveLength(1);
  });

  it('runs only the account-level check on the stack pseudo-resource (SDK mock)', async () => {
    const mocked = mockS3Clients();
    mocked.s3Control
      .on(GetAccountPublicAccessBlockCommand)
      .rejects(serviceError('NoSuchPublicAccessBlockConfiguration', 404));

    const outcome = await runWorkItem('s3', rules, mocked.clients, {
      workItem: { family: 's3', resource: stackRef() },
      stack: TEST_STACK,
      trigger: 'adhoc',
    });

    expect(outcome.results).toEqual([
      {
        checkId: 's3-account-level-public-access-blocks-periodic',
        status: 'FAIL',
        message: 'no account-level Block Public Access configuration',
        evidence: { accountId: TEST_STACK.accountId, PublicAccessBlockConfiguration: null },
      },
    ]);
  });
});
