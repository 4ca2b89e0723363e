import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { type Policy, parsePolicy } from '../evaluators/policy.ts';
import type { CheckContext } from '../types.ts';
import type { SqsClients } from './clients.ts';

/** One GetQueueAttributes(All) per work item serves every SQS check; the physical id is the queue URL. */
export async function queueAttributes({
  resource,
  clients,
  memo,
}: CheckContext<SqsClients>): Promise<Readonly<Record<string, string>>> {
  const { Attributes } = await memo(`queue-attributes:${resource.physicalId}`, () =>
    clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: resource.physicalId, AttributeNames: ['All'] }),
    ),
  );
  return Attributes ?? {};
}

/** The queue policy, or undefined when the queue has none. */
export async function queuePolicy(context: CheckContext<SqsClients>): Promise<Policy | undefined> {
  const { Policy: text } = await queueAttributes(context);
  return text ? parsePolicy(text, `the policy of queue ${context.resource.physicalId}`) : undefined;
}
