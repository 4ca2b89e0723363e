import { DescribeEventBusCommand } from '@aws-sdk/client-eventbridge';
import { parsePolicy, resourcePolicyPublicity } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { EventsClients } from './clients.ts';

/**
 * PASS when the event bus has no resource policy, or none of its statements is public by AWS's
 * definition (evaluators/policy/public.ts): a public bus lets any account put events on it
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html).
 * The physical id of an AWS::Events::EventBus is its name.
 */
export const eventbridgeBusPolicyNotPublic: CheckRule<EventsClients> = async ({ clients, resource }) => {
  const { Policy: text } = await clients.eventBridge.send(
    new DescribeEventBusCommand({ Name: resource.physicalId }),
  );
  const policy = text ? parsePolicy(text, `the policy of event bus ${resource.physicalId}`) : undefined;
  return resourcePolicyPublicity(policy, 'event bus');
};
