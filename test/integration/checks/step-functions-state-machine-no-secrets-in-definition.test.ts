import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createStepFunctionsClients } from '../../../functions/checks/stepfunctions/clients.ts';
import { rules } from '../../../functions/checks/stepfunctions/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { serviceError } from '../../support/service-errors.ts';
import { createStateMachine, stateMachineResource } from '../../support/state-machines.ts';

const CHECK = 'step-functions-state-machine-no-secrets-in-definition';
const clients = createStepFunctionsClients();
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';

function callApi(parameters: Record<string, unknown>) {
  return JSON.stringify({
    StartAt: 'CallPartner',
    States: {
      CallPartner: {
        Type: 'Task',
        Resource: 'arn:aws:states:::http:invoke',
        Parameters: { ApiEndpoint: 'https://partner.example.com/orders', Method: 'POST', ...parameters },
        End: true,
      },
    },
  });
}

describe(`${CHECK} (moto)`, () => {
  it('passes a definition without secrets, task tokens and ARNs included', async () => {
    const arn = await createStateMachine(clients.sfn, 'clean');

    const result = await runCheck(CHECK, rules, clients, stateMachineResource(arn));

    expect(result).toMatchObject({ status: 'PASS', message: 'no secret-like values in the definition' });
  });

  it('fails a definition with an access key, naming the path but not the value', async () => {
    const arn = await createStateMachine(clients.sfn, 'access-key', {
      definition: callApi({ Headers: { 'x-amz-key': ACCESS_KEY } }),
    });

    const result = await runCheck(CHECK, rules, clients, stateMachineResource(arn));

    expect(result.status).toBe('FAIL');
    expect(result.evidence).toMatchObject({
      findings: [{ key: '$.States.CallPartner.Parameters.Headers.x-amz-key', kind: 'aws-access-key-id' }],
    });
    expect(JSON.stringify(result)).not.toContain(ACCESS_KEY);
  });

  it('fails a literal under a secret-like name', async () => {
    const arn = await createStateMachine(clients.sfn, 'api-key', {
      definition: callApi({ ApiKey: 'hunter2-partner' }),
    });

    const result = await runCheck(CHECK, rules, clients, stateMachineResource(arn));

    expect(result).toMatchObject({
      status: 'FAIL',
      evidence: {
        findings: [{ key: '$.States.CallPartner.Parameters.ApiKey', kind: 'secret-named-literal' }],
      },
    });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('passes a secret-like name that holds a reference', async () => {
    const arn = await createStateMachine(clients.sfn, 'api-key-ref', {
      definition: callApi({ 'ApiKey.$': '$.secrets.apiKey' }),
    });

    const result = await runCheck(CHECK, rules, clients, stateMachineResource(arn));

    expect(result.status).toBe('PASS');
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

  describe('customer managed keys (SDK mock: moto does not encrypt definitions)', () => {
    const sfn = new SFNClient({});
    const mock = mockClient(sfn);
    afterEach(() => mock.reset());

    it('reads the full definition, and reports a missing kms:Decrypt as an ERROR', async () => {
      mock
        .onAnyCommand()
        .rejects(serviceError('KmsAccessDeniedException', 400, 'Access denied to the KMS key'));

      const result = await runCheck(
        CHECK,
        rules,
        { sfn },
        stateMachineResource('arn:aws:states:us-east-1:123456789012:stateMachine:m'),
      );

      expect(mock.calls()[0]?.args[0].input).not.toHaveProperty('includedData');
      expect(result.status).toBe('ERROR');
      expect(result.message).toContain('KmsAccessDeniedException');
    });
  });
});
