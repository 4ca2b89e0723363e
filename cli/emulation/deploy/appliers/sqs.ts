/** sqs: the configuration moto's CloudFormation ignores, applied through the service API (table in ../index.ts). */
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { ApplyContext } from '../context.ts';
import { list, policyText } from '../values.ts';

export async function applyQueuePolicy(context: ApplyContext, logicalId: string) {
  const queues = list(context.required(logicalId, 'Queues')).map(String);
  const policy = policyText(context.required(logicalId, 'PolicyDocument'));
  for (const QueueUrl of queues) {
    await context.clients.sqs.send(
      new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: policy } }),
    );
  }
  context.created(logicalId, 'AWS::SQS::QueuePolicy', context.generatedName(logicalId));
  context.applied(
    logicalId,
    `queue policy on ${queues.map((url) => url.slice(url.lastIndexOf('/') + 1)).join(', ')}`,
  );
}
