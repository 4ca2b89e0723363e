/** SQS queues for the SQS and alarm checks. */
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

export const queueResource = (queueUrl: string) => ({
  logicalId: 'OrdersQueue',
  physicalId: queueUrl,
  type: 'AWS::SQS::Queue',
});

export async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string> = {},
): Promise<{ queueUrl: string; queueArn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { queueUrl: String(QueueUrl), queueArn: String(Attributes?.QueueArn) };
}

export function queuePolicy(queueArn: string, statements: Record<string, unknown>[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((statement) => ({ Resource: queueArn, ...statement })),
  });
}

export const tlsOnlyStatement = {
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'sqs:*',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
