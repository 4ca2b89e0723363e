import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { checksFor, registry } from '../../../functions/checks/registry.ts';
import { runWorkItem } from '../../../functions/checks/run.ts';
import { createStackClients } from '../../../functions/checks/stack/clients.ts';
import { rules } from '../../../functions/checks/stack/handler.ts';
import { STACK_RESOURCE_TYPE } from '../../../functions/checks/types.ts';
import type { Trigger } from '../../../statemachine/state.ts';
import { TEST_STACK } from '../../support/check-harness.ts';

const stack = { logicalId: TEST_STACK.stackName, physicalId: TEST_STACK.stackId, type: STACK_RESOURCE_TYPE };

describe('stack family handler', () => {
  it('binds a rule to every stack check of the registry, and to nothing else', () => {
    const checkIds = registry.filter((check) => check.family === 'stack').map((check) => check.id);

    expect(Object.keys(rules).sort()).toEqual(checkIds.sort());
    expect(checkIds).toHaveLength(8);
  });

  it.each<[Trigger, number]>([
    ['adhoc', 3],
    ['BeforeAllowTraffic', 4],
    ['AfterAllowTraffic', 8],
  ])('plans the stack checks of the %s trigger (%i)', (trigger, count) => {
    const planned = checksFor('stack', STACK_RESOURCE_TYPE, trigger).map((check) => check.id);

    expect(planned).toHaveLength(count);
    expect(planned.filter((id) => id.startsWith('deployment-'))).toHaveLength(count - 3);
  });

  it('shares one DescribeStacks between the two stack checks (SDK mock: counts calls)', async () => {
    const cloudFormation = new CloudFormationClient({});
    const mock = mockClient(cloudFormation);
    mock.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackId: TEST_STACK.stackId,
          StackName: TEST_STACK.stackName,
          StackStatus: 'CREATE_COMPLETE',
          CreationTime: new Date(),
          EnableTerminationProtection: true,
          Outputs: [{ OutputKey: 'Url', OutputValue: 'https://example.com' }],
        },
      ],
    });

    const outcome = await runWorkItem(
      'stack',
      rules,
      { ...createStackClients(), cloudFormation },
      {
        workItem: { family: 'stack', resource: stack },
        stack: TEST_STACK,
        trigger: 'adhoc',
        checks: { disabled: ['cloudformation-stack-drift-detection-check'] },
      },
    );

    expect(outcome.results.map((result) => [result.checkId, result.status])).toEqual([
      ['cloudformation-termination-protection-check', 'PASS'],
      ['cloudformation-stack-outputs-no-secrets', 'PASS'],
    ]);
    expect(mock.commandCalls(DescribeStacksCommand)).toHaveLength(1);
  });
});
