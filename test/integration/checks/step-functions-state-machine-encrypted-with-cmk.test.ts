import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { createStepFunctionsClients } from '../../../functions/checks/stepfunctions/clients.ts';
import { rules } from '../../../functions/checks/stepfunctions/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createStateMachine, stateMachineResource } from '../../support/state-machines.ts';

const CHECK = 'step-functions-state-machine-encrypted-with-cmk';
const clients = createStepFunctionsClients();

describe(`${CHECK} (moto)`, () => {
  it('passes a machine encrypted with a customer managed key', async () => {
    const { KeyMetadata } = await new KMSClient({}).send(new CreateKeyCommand({}));
    const arn = await createStateMachine(clients.sfn, 'cmk', {
      encryptionConfiguration: { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KeyMetadata?.Arn },
    });

    const result = await runCheck(CHECK, rules, clients, stateMachineResource(arn));

    expect(result).toMatchObject({
      status: 'PASS',
      evidence: { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KeyMetadata?.Arn },
    });
  });

  it('fails a machine encrypted with an AWS owned key', async () => {
    const arn = await createStateMachine(clients.sfn, 'aws-owned', {
      encryptionConfiguration: { type: 'AWS_OWNED_KEY' },
    });

    const result = await runCheck(CHECK, rules, clients, stateMachineResource(arn));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'the state machine is encrypted with an AWS owned key',
    });
  });

  it('fails a machine without encryption configuration', async () => {
    const arn = await createStateMachine(clients.sfn, 'default-encryption');

    const result = await runCheck(CHECK, rules, clients, stateMachineResource(arn));

    expect(result).toMatchObject({ status: 'FAIL', evidence: { type: 'AWS_OWNED_KEY' } });
  });

  it('is an ERROR when the state machine does not exist', async () => {
    const result = await runCheck(
      CHECK,
      rules,
      clients,
      stateMachineResource('arn:aws:states:us-east-1:123456789012:stateMachine:gone'),
    );

    expect(result.status).toBe('ERROR');
  });
});
