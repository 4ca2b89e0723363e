/** The EventBridge checks against moto: the bus policy, and dead-letter queues on rule targets. */

import {
  CloudFormationClient,
  GetTemplateCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CreateEventBusCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createEventsClients } from '../../../functions/checks/events/clients.ts';
import { rules } from '../../../functions/checks/events/handler.ts';
import { runCheck } from '../../support/check-harness.ts';

const clients = createEventsClients();
const busRef = (name: string) => ({ logicalId: 'Bus', physicalId: name, type: 'AWS::Events::EventBus' });
const ruleRef = (physicalId: string) => ({ logicalId: 'Rule', physicalId, type: 'AWS::Events::Rule' });

describe('eventbridge-bus-policy-not-public (moto)', () => {
  const CHECK = 'eventbridge-bus-policy-not-public';

  it('passes a bus without a policy and one shared with one account; fails one open to everyone', async () => {
    for (const name of ['private-bus', 'shared-bus', 'open-bus']) {
      await clients.eventBridge.send(new CreateEventBusCommand({ Name: name }));
    }
    await clients.eventBridge.send(
      new PutPermissionCommand({
        EventBusName: 'shared-bus',
        Action: 'events:PutEvents',
        Principal: '210987654321',
        StatementId: 'Partner',
      }),
    );
    await clients.eventBridge.send(
      new PutPermissionCommand({
        EventBusName: 'open-bus',
        Action: 'events:PutEvents',
        Principal: '*',
        StatementId: 'Anyone',
      }),
    );

    expect(await runCheck(CHECK, rules, clients, busRef('private-bus'))).toMatchObject({
      status: 'PASS',
      message: 'the event bus has no resource policy',
    });
    expect((await runCheck(CHECK, rules, clients, busRef('shared-bus'))).status).toBe('PASS');
    expect(await runCheck(CHECK, rules, clients, busRef('open-bus'))).toMatchObject({
      status: 'FAIL',
      evidence: { publicStatements: ['Anyone'] },
    });
  });
});

describe('eventbridge-rule-targets-dlq (moto)', () => {
  const CHECK = 'eventbridge-rule-targets-dlq';
  const queue = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;

  it('passes targets with a DLQ, fails the one without and names it, N/A without targets', async () => {
    await clients.eventBridge.send(new PutRuleCommand({ Name: 'kept', ScheduleExpression: 'rate(1 hour)' }));
    await clients.eventBridge.send(new PutRuleCommand({ Name: 'lossy', ScheduleExpression: 'rate(1 hour)' }));
    await clients.eventBridge.send(new PutRuleCommand({ Name: 'idle', ScheduleExpression: 'rate(1 hour)' }));
    await clients.eventBridge.send(
      new PutTargetsCommand({
        Rule: 'kept',
        Targets: [{ Id: 'q', Arn: queue('work'), DeadLetterConfig: { Arn: queue('dlq') } }],
      }),
    );
    await clients.eventBridge.send(
      new PutTargetsCommand({
        Rule: 'lossy',
        Targets: [
          { Id: 'safe', Arn: queue('work'), DeadLetterConfig: { Arn: queue('dlq') } },
          { Id: 'unsafe', Arn: queue('other') },
        ],
      }),
    );

    expect((await runCheck(CHECK, rules, clients, ruleRef('kept'))).status).toBe('PASS');
    expect(await runCheck(CHECK, rules, clients, ruleRef('lossy'))).toMatchObject({
      status: 'FAIL',
      message: '1 of 2 target(s) have no dead-letter queue: unsafe',
    });
    expect((await runCheck(CHECK, rules, clients, ruleRef('idle'))).status).toBe('NOT_APPLICABLE');
  });

  it('reads a rule on a custom bus from its physical id bus|rule', async () => {
    await clients.eventBridge.send(new CreateEventBusCommand({ Name: 'orders' }));
    await clients.eventBridge.send(
      new PutRuleCommand({ Name: 'on-orders', EventBusName: 'orders', EventPattern: '{"source":["shop"]}' }),
    );
    await clients.eventBridge.send(
      new PutTargetsCommand({
        Rule: 'on-orders',
        EventBusName: 'orders',
        Targets: [{ Id: 'q', Arn: queue('work') }],
      }),
    );

    expect((await runCheck(CHECK, rules, clients, ruleRef('orders|on-orders'))).status).toBe('FAIL');
  });

  it("finds the rule's bus in the template when the physical id omits it (SDK mock of CloudFormation: moto's cannot create a rule on a custom bus)", async () => {
    await clients.eventBridge.send(new CreateEventBusCommand({ Name: 'payments' }));
    await clients.eventBridge.send(
      new PutRuleCommand({
        Name: 'on-payment',
        EventBusName: 'payments',
        EventPattern: '{"source":["pay"]}',
      }),
    );
    await clients.eventBridge.send(
      new PutTargetsCommand({
        Rule: 'on-payment',
        EventBusName: 'payments',
        Targets: [{ Id: 'q', Arn: queue('work') }],
      }),
    );
    const cloudFormation = new CloudFormationClient({});
    mockClient(cloudFormation)
      .on(GetTemplateCommand)
      .resolves({
        TemplateBody: JSON.stringify({
          Resources: {
            Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'payments' } },
            OnPayment: {
              Type: 'AWS::Events::Rule',
              Properties: { EventBusName: { Ref: 'Bus' }, Name: 'on-payment' },
            },
          },
        }),
      })
      .on(ListStackResourcesCommand)
      .resolves({
        StackResourceSummaries: [
          {
            LogicalResourceId: 'Bus',
            PhysicalResourceId: 'payments',
            ResourceType: 'AWS::Events::EventBus',
            ResourceStatus: 'CREATE_COMPLETE',
            LastUpdatedTimestamp: new Date(),
          },
        ],
      });

    const result = await runCheck(
      CHECK,
      rules,
      { ...clients, cloudFormation },
      { ...ruleRef('on-payment'), logicalId: 'OnPayment' },
    );

    expect(result).toMatchObject({
      status: 'FAIL',
      message: '1 of 1 target(s) have no dead-letter queue: q',
    });
  });
});
