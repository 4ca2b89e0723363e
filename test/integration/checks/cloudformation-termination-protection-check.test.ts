import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createStackClients } from '../../../functions/checks/stack/clients.ts';
import { rules } from '../../../functions/checks/stack/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { stackResource } from '../../support/deployments.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'cloudformation-termination-protection-check';
const clients = createStackClients();
const TEMPLATE = JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } });

async function createStack(name: string, protect: boolean): Promise<string> {
  const { StackId } = await clients.cloudFormation.send(
    new CreateStackCommand({ StackName: name, TemplateBody: TEMPLATE, EnableTerminationProtection: protect }),
  );
  return String(StackId);
}

describe(`${CHECK} (moto)`, () => {
  it('passes a stack with termination protection', async () => {
    const stackId = await createStack('protected-stack', true);

    const result = await runCheck(CHECK, rules, clients, stackResource(stackId));

    expect(result).toMatchObject({ status: 'PASS', message: 'termination protection is on for the stack' });
  });

  it('fails a stack without termination protection', async () => {
    const stackId = await createStack('unprotected-stack', false);

    const result = await runCheck(CHECK, rules, clients, stackResource(stackId));

    expect(result).toMatchObject({ status: 'FAIL', message: 'termination protection is off for the stack' });
  });

  it('is an ERROR when the stack does not exist', async () => {
    const result = await runCheck(
      CHECK,
      rules,
      clients,
      stackResource(
        'arn:aws:cloudformation:us-east-1:123456789012:stack/gone/00000000-0000-0000-0000-000000000001',
      ),
    );

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('does not exist');
  });

  describe('nested stacks and access denied (SDK mock: moto reports no RootId and does not enforce IAM)', () => {
    const cloudFormation = new CloudFormationClient({});
    const mock = mockClient(cloudFormation);
    afterEach(() => mock.reset());
    const ROOT = 'arn:aws:cloudformation:us-east-1:123456789012:stack/root/1';
    const NESTED = 'arn:aws:cloudformation:us-east-1:123456789012:stack/root-Nested-1/2';
    const stack = (StackId: string, StackName: string, extra: object) => ({
      StackId,
      StackName,
      StackStatus: 'CREATE_COMPLETE' as const,
      CreationTime: new Date(),
      ...extra,
    });

    it('judges a nested stack by its root stack', async () => {
      mock
        .on(DescribeStacksCommand, { StackName: NESTED })
        .resolves({
          Stacks: [stack(NESTED, 'root-Nested-1', { RootId: ROOT, EnableTerminationProtection: true })],
        })
        .on(DescribeStacksCommand, { StackName: ROOT })
        .resolves({ Stacks: [stack(ROOT, 'root', { EnableTerminationProtection: false })] });

      const result = await runCheck(CHECK, rules, { ...clients, cloudFormation }, stackResource(NESTED));

      expect(result).toMatchObject({
        status: 'FAIL',
        message: 'termination protection is off for the root stack root',
        evidence: { stack: 'root', nested: true },
      });
    });

    it('is an ERROR that names the missing permission', async () => {
      mock.onAnyCommand().rejects(accessDenied('AccessDenied'));

      const result = await runCheck(CHECK, rules, { ...clients, cloudFormation }, stackResource(ROOT));

      expect(result.status).toBe('ERROR');
      expect(result.message).toContain('cloudformation:DescribeStacks');
    });
  });
});
