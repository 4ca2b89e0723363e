import { ListDeadLetterSourceQueuesCommand } from '@aws-sdk/client-sqs';
import type { CheckRule } from '../types.ts';
import type { SqsClients } from './clients.ts';
import { queueAttributes } from './queue-attributes.ts';

function deadLetterTargetArn(redrivePolicy: string | undefined): string | undefined {
  if (!redrivePolicy) return undefined;
  const parsed: unknown = JSON.parse(redrivePolicy);
  const target = (parsed as { deadLetterTargetArn?: unknown } | null)?.deadLetterTargetArn;
  return typeof target === 'string' && target !== '' ? target : undefined;
}

/** N/A for a queue that is itself a DLQ; otherwise PASS when its redrive policy names a DLQ. */
export const sqsQueueDlqCheck: CheckRule<SqsClients> = async (context) => {
  const { resource, clients } = context;
  const { queueUrls } = await clients.sqs.send(
    new ListDeadLetterSourceQueuesCommand({ QueueUrl: resource.physicalId, MaxResults: 1 }),
  );
  if ((queueUrls ?? []).length > 0) {
    return {
      status: 'NOT_APPLICABLE',
      message: 'the queue is a dead-letter queue of another queue',
      evidence: { sourceQueue: queueUrls?.[0] },
    };
  }
  const { RedrivePolicy } = await queueAttributes(context);
  const target = deadLetterTargetArn(RedrivePolicy);
  if (!target) return { status: 'FAIL', message: 'the queue has no dead-letter queue' };
  return {
    status: 'PASS',
    message: `failed messages go to ${target}`,
    evidence: { deadLetterTargetArn: target },
  };
};
