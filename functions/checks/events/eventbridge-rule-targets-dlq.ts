import { ListTargetsByRuleCommand, type Target } from '@aws-sdk/client-eventbridge';
import { isAwsError } from '../../shared/errors.ts';
import { declaredReference } from '../stack-lookup.ts';
import type { CheckRule } from '../types.ts';
import type { EventsClients } from './clients.ts';

/**
 * The rule's name and bus from its physical id: `name` on the default bus, `bus|name` on another
 * (CloudFormation's Ref of AWS::Events::Rule).
 */
export function ruleIdentity(physicalId: string): { name: string; eventBusName?: string } {
  const separator = physicalId.lastIndexOf('|');
  if (separator < 0) return { name: physicalId };
  return { eventBusName: physicalId.slice(0, separator), name: physicalId.slice(separator + 1) };
}

/**
 * PASS when every target of the rule has a dead-letter queue, so events EventBridge fails to deliver
 * after its retries are kept, not dropped
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html). N/A without targets.
 */
async function listTargets(client: EventsClients['eventBridge'], rule: string, eventBusName?: string) {
  const targets: Target[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListTargetsByRuleCommand({ Rule: rule, EventBusName: eventBusName, NextToken: nextToken }),
    );
    targets.push(...(page.Targets ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return targets;
}

export const eventbridgeRuleTargetsDlq: CheckRule<EventsClients> = async (context) => {
  const { clients, resource } = context;
  const { name, eventBusName } = ruleIdentity(resource.physicalId);
  let targets: Target[];
  try {
    targets = await listTargets(clients.eventBridge, name, eventBusName);
  } catch (error) {
    // A physical id without `bus|` (as moto writes it) names a rule on another bus: the template says which.
    const declaredBus = eventBusName
      ? undefined
      : isAwsError(error, 'ResourceNotFoundException')
        ? await declaredReference(context, 'EventBusName')
        : undefined;
    if (!declaredBus) throw error;
    targets = await listTargets(clients.eventBridge, name, declaredBus);
  }
  if (targets.length === 0) return { status: 'NOT_APPLICABLE', message: 'the rule has no targets' };
  const withoutDlq = targets
    .filter((target) => !target.DeadLetterConfig?.Arn)
    .map((target) => target.Id ?? target.Arn ?? '?');
  const evidence = { targets: targets.length, withoutDeadLetterQueue: withoutDlq };
  if (withoutDlq.length > 0) {
    return {
      status: 'FAIL',
      message: `${withoutDlq.length} of ${targets.length} target(s) have no dead-letter queue: ${withoutDlq.join(', ')}`,
      evidence,
    };
  }
  return {
    status: 'PASS',
    message: `every one of ${targets.length} target(s) has a dead-letter queue`,
    evidence,
  };
};
