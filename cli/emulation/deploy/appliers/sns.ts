/** sns: the configuration moto's CloudFormation ignores, applied through the service API (table in ../index.ts). */
import { SetTopicAttributesCommand, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import type { ApplyContext } from '../context.ts';
import { list, policyText } from '../values.ts';

export async function applyTopicPolicy(context: ApplyContext, logicalId: string) {
  const topics = list(context.required(logicalId, 'Topics')).map(String);
  const policy = policyText(context.required(logicalId, 'PolicyDocument'));
  for (const TopicArn of topics) {
    await context.clients.sns.send(
      new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: policy }),
    );
  }
  context.created(logicalId, 'AWS::SNS::TopicPolicy', context.generatedName(logicalId));
  context.applied(
    logicalId,
    `topic policy on ${topics.map((arn) => arn.slice(arn.lastIndexOf(':') + 1)).join(', ')}`,
  );
}

export async function applySubscription(context: ApplyContext, logicalId: string) {
  const TopicArn = context.requiredText(logicalId, 'TopicArn');
  const Protocol = context.requiredText(logicalId, 'Protocol');
  const endpoint = context.property(logicalId, 'Endpoint');
  const attributes: Record<string, string> = {};
  for (const name of [
    'DeliveryPolicy',
    'FilterPolicy',
    'FilterPolicyScope',
    'RawMessageDelivery',
    'RedrivePolicy',
  ]) {
    const value = context.property(logicalId, name);
    if (value !== undefined)
      attributes[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  const { sns } = context.clients;
  const subscribed = await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol,
      Endpoint: endpoint === undefined ? undefined : String(endpoint),
      Attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
      ReturnSubscriptionArn: true,
    }),
  );
  const arn = subscribed.SubscriptionArn ?? context.generatedName(logicalId);
  context.created(logicalId, 'AWS::SNS::Subscription', arn, () =>
    sns.send(new UnsubscribeCommand({ SubscriptionArn: arn })),
  );
  context.applied(logicalId, `${Protocol} subscription to ${TopicArn.slice(TopicArn.lastIndexOf(':') + 1)}`);
}
