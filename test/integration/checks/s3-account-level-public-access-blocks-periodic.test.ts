import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { afterEach, describe, expect, it } from 'vitest';
import { createS3Clients } from '../../../functions/checks/s3/clients.ts';
import { rules } from '../../../functions/checks/s3/handler.ts';
import { runCheck, TEST_STACK } from '../../support/check-harness.ts';
import {
  BLOCK_ALL,
  deleteAccountBlock,
  mockS3Clients,
  putAccountBlock,
  stackRef,
} from '../../support/s3-fixtures.ts';
import { serviceError } from '../../support/service-errors.ts';

const CHECK = 's3-account-level-public-access-blocks-periodic';
const clients = createS3Clients();

describe(`${CHECK} (moto)`, () => {
  afterEach(async () => {
    await deleteAccountBlock(clients);
  });

  it('passes an account that turns on all four flags', async () => {
    await putAccountBlock(clients, BLOCK_ALL);

    const result = await runCheck(CHECK, rules, clients, stackRef());

    expect(result).toMatchObject({
      status: 'PASS',
      message:
        'account-level Block Public Access is on for BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets',
      evidence: { accountId: TEST_STACK.accountId },
    });
  });

  it('fails an account without a configuration (NoSuchPublicAccessBlockConfiguration)', async () => {
    const result = await runCheck(CHECK, rules, clients, stackRef());

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'no account-level Block Public Access configuration',
      evidence: { PublicAccessBlockConfiguration: null },
    });
  });

  it('fails and names the flags that are off', async () => {
    await putAccountBlock(clients, { BlockPublicAcls: true, IgnorePublicAcls: true });

    const result = await runCheck(CHECK, rules, clients, stackRef());

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'account-level Block Public Access is off for BlockPublicPolicy, RestrictPublicBuckets',
    });
  });

  it('passes when the flags that are off are not required', async () => {
    await putAccountBlock(clients, { BlockPublicAcls: true, IgnorePublicAcls: true });

    const result = await runCheck(CHECK, rules, clients, stackRef(), {
      params: { BlockPublicPolicy: false, RestrictPublicBuckets: 'false' },
    });

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'account-level Block Public Access is on for BlockPublicAcls, IgnorePublicAcls',
    });
  });

  it('still fails a flag that is off and required when others are waived', async () => {
    await putAccountBlock(clients, { BlockPublicAcls: true });

    const result = await runCheck(CHECK, rules, clients, stackRef(), {
      params: { BlockPublicPolicy: false, RestrictPublicBuckets: false },
    });

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'account-level Block Public Access is off for IgnorePublicAcls',
    });
  });

  it('passes when no flag is required, even without a configuration', async () => {
    const result = await runCheck(CHECK, rules, clients, stackRef(), {
      params: {
        BlockPublicAcls: false,
        IgnorePublicAcls: false,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      },
    });

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'no account-level Block Public Access flag is required',
    });
  });

  it('reads the account of the audited stack: AccessDenied for another account is an ERROR, not a FAIL', async () => {
    await putAccountBlock(clients, BLOCK_ALL);

    const result = await runCheck(CHECK, rules, clients, stackRef(), {
      stack: { ...TEST_STACK, accountId: '210987654321' },
    });

    expect(result).toMatchObject({
      status: 'ERROR',
      message: 'access denied (AccessDenied); the auditor role needs s3:GetAccountPublicAccessBlock',
    });
  });
});

describe(`${CHECK} (SDK mock)`, () => {
  it('asks S3 Control for the stack’s account id (SDK mock: records the request)', async () => {
    const mocked = mockS3Clients();
    mocked.s3Control
      .on(GetPublicAccessBlockCommand)
      .rejects(serviceError('NoSuchPublicAccessBlockConfiguration', 404));

    const result = await runCheck(CHECK, rules, mocked.clients, stackRef(), {
      stack: { ...TEST_STACK, accountId: '111122223333' },
    });

    expect(result.status).toBe('FAIL');
    expect(mocked.s3Control.commandCalls(GetPublicAccessBlockCommand)[0]?.args[0].input).toEqual({
      AccountId: '111122223333',
    });
  });
});
