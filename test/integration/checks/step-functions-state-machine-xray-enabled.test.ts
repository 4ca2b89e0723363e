import { describe, expect, it } from 'vitest';
import { createStepFunctionsClients } from '../../../functions/checks/stepfunctions/clients.ts';
import { rules } from '../../../functions/checks/stepfunctions/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createStateMachine, stateMachineResource } from '../../support/state-machines.ts';

const CHECK = 'step-functions-state-machine-xray-enabled';
const clients = createStepFunctionsClients();

describe(`${CHECK} (moto)`, () => {
  it('passes a machine with tracing enabled', async () => {
    const arn = await createStateMachine(clients.sfn, 'traced', { tracingConfiguration: { enabled: true } });

    const result = await runCheck(CHECK, rules, clients, stateMachineResource(arn));

    expect(result).toMatchObject({ status: 'PASS', message: 'X-Ray tracing is on' });
  });

  it('fails a machine with tracing disabled', async () => {
    const arn = await createStateMachine(clients.sfn, 'untraced', {
      tracingConfiguration: { enabled: false },
    });

    const result = await runCheck(CHECK, rules, clients, stateMachineResource(arn));

    expect(result).toMatchObject({ status: 'FAIL', message: 'X-Ray tracing is off' });
  });

  it('fails a machine that never set tracing', async () => {
    const arn = await createStateMachine(clients.sfn, 'default-tracing');

    const result = await runCheck(CHECK, rules, clients, stateMachineResource(arn));

    expect(result.status).toBe('FAIL');
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
