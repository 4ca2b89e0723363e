import { GetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { type Policy, parsePolicy } from '../evaluators/policy.ts';
import type { CheckContext } from '../types.ts';
import type { SnsClients } from './clients.ts';

/** One GetTopicAttributes per work item serves every SNS check; the physical id is the topic ARN. */
export async function topicAttributes({
  resource,
  clients,
  memo,
}: CheckContext<SnsClients>): Promise<Readonly<Record<string, string>>> {
  const { Attributes } = await memo(`topic-attributes:${resource.physicalId}`, () =>
    clients.sns.send(new GetTopicAttributesCommand({ TopicArn: resource.physicalId })),
  );
  return Attributes ?? {};
}

/** The topic policy, or undefined when the topic has none. */
export async function topicPolicy(context: CheckContext<SnsClients>): Promise<Policy | undefined> {
  const { Policy: text } = await topicAttributes(context);
  return text ? parsePolicy(text, `the policy of topic ${context.resource.physicalId}`) : undefined;
}
