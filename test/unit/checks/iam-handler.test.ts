import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { rules } from '../../../functions/checks/iam/handler.ts';
import { registry } from '../../../functions/checks/registry.ts';
import { runWorkItem } from '../../../functions/checks/run.ts';
import { TEST_STACK } from '../../support/check-harness.ts';

describe('iam family handler', () => {
  it('binds a rule to every iam check of the registry, and to nothing else', () => {
    const checkIds = registry.filter((check) => check.family === 'iam').map((check) => check.id);

    expect(Object.keys(rules).sort()).toEqual(checkIds.sort());
    expect(checkIds).toHaveLength(5);
  });

  it('reads each policy of the role once for all five checks (SDK mock: counts calls)', async () => {
    const iam = new IAMClient({});
    const mock = mockClient(iam);
    const document = encodeURIComponent(
      JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }] }),
    );
    const policyArn = 'arn:aws:iam::123456789012:policy/read';
    mock
      .on(ListRolePoliciesCommand)
      .resolves({ PolicyNames: ['Inline'] })
      .on(GetRolePolicyCommand)
      .resolves({ RoleName: 'r', PolicyName: 'Inline', PolicyDocument: document })
      .on(ListAttachedRolePoliciesCommand)
      .resolves({ AttachedPolicies: [{ PolicyName: 'read', PolicyArn: policyArn }] })
      .on(GetPolicyCommand)
      .resolves({ Policy: { Arn: policyArn, DefaultVersionId: 'v3' } })
      .on(GetPolicyVersionCommand, { PolicyArn: policyArn, VersionId: 'v3' })
      .resolves({ PolicyVersion: { Document: document } });

    const outcome = await runWorkItem(
      'iam',
      rules,
      { iam },
      {
        workItem: { family: 'iam', resource: { logicalId: 'Role', physicalId: 'r', type: 'AWS::IAM::Role' } },
        stack: TEST_STACK,
        trigger: 'adhoc',
      },
    );

    expect(outcome.results.map((result) => result.status)).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'PASS']);
    expect(mock.commandCalls(ListRolePoliciesCommand)).toHaveLength(1);
    expect(mock.commandCalls(GetRolePolicyCommand)).toHaveLength(1);
    expect(mock.commandCalls(ListAttachedRolePoliciesCommand)).toHaveLength(1);
    expect(mock.commandCalls(GetPolicyCommand)).toHaveLength(1);
    expect(mock.commandCalls(GetPolicyVersionCommand)).toHaveLength(1);
  });
});
