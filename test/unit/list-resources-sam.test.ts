/**
 * ListResources on a stack deployed from a SAM template (SDK mock of CloudFormation: the test pins
 * the request, that the template is read as deployed, which no emulator can tell apart): the
 * waiver on the SAM function reaches the generated role, and work items name their SAM origin.
 */
import {
  CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/list-resources/handler.ts';

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/orders/1';
const SAM_TAGS = [{ Key: 'lambda:createdBy', Value: 'SAM' }];

/** The processed template, as the SAM transform leaves it: the waiver stays on the function. */
const processed = {
  Resources: {
    Orders: {
      Type: 'AWS::Lambda::Function',
      Metadata: {
        fitgate: {
          suppressions: [
            { checkId: 'iam-policy-no-statements-with-full-access', reason: 'reviewed by the security team' },
          ],
        },
      },
      Properties: { Role: { 'Fn::GetAtt': ['OrdersRole', 'Arn'] }, Tags: SAM_TAGS },
    },
    OrdersRole: { Type: 'AWS::IAM::Role', Properties: { Tags: SAM_TAGS } },
  },
};

const row = (logicalId: string, physicalId: string, type: string) => ({
  LogicalResourceId: logicalId,
  PhysicalResourceId: physicalId,
  ResourceType: type,
  ResourceStatus: 'CREATE_COMPLETE' as const,
  LastUpdatedTimestamp: new Date(),
});

describe('ListResources on a SAM stack (SDK mock of CloudFormation)', () => {
  it('reads the Processed template, moves the function’s IAM waiver to its role, and names the role’s SAM origin', async () => {
    const cloudFormation = new CloudFormationClient({ region: 'us-east-1' });
    const mock = mockClient(cloudFormation);
    mock
      .on(DescribeStacksCommand)
      .resolves({
        Stacks: [
          {
            StackName: 'orders',
            StackId: STACK_ID,
            StackStatus: 'CREATE_COMPLETE',
            CreationTime: new Date(),
          },
        ],
      })
      .on(ListStackResourcesCommand)
      .resolves({
        StackResourceSummaries: [
          row('Orders', 'orders-fn', 'AWS::Lambda::Function'),
          row('OrdersRole', 'orders-role', 'AWS::IAM::Role'),
        ],
      })
      .on(GetTemplateCommand)
      .resolves({ TemplateBody: JSON.stringify(processed) });

    const codeDeploy = new CodeDeployClient({ region: 'us-east-1' });
    const plan = await makeHandler({ cloudFormation, codeDeploy })({
      input: { stackName: 'orders' },
      executionName: 'adhoc-orders',
      startedAt: '2026-12-01T00:00:00Z',
    });

    expect(mock.commandCalls(GetTemplateCommand).map((call) => call.args[0].input)).toEqual([
      { StackName: STACK_ID, TemplateStage: 'Processed' },
    ]);
    expect(plan.config.suppressions).toEqual([
      expect.objectContaining({
        checkId: 'iam-policy-no-statements-with-full-access',
        logicalId: 'OrdersRole',
      }),
    ]);
    const resources = plan.items
      .map((item) => item.resource)
      .filter((resource) => resource.logicalId !== 'orders');
    expect(resources).toContainEqual({
      logicalId: 'OrdersRole',
      physicalId: 'orders-role',
      type: 'AWS::IAM::Role',
      samResourceId: 'Orders',
    });
    expect(resources.find((resource) => resource.logicalId === 'Orders')).not.toHaveProperty('samResourceId');
  });
});
