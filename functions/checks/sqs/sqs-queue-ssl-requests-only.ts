import { partitionOf, tlsEnforcement } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { SqsClients } from './clients.ts';
import { queueAttributes, queuePolicy } from './queue-attributes.ts';

/** A queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`) as an ARN. */
function queueArnOfUrl(url: string, stack: { stackId: string; region: string; accountId: string }): string {
  const [account = stack.accountId, name = ''] = new URL(url).pathname.split('/').filter(Boolean);
  const region = /^sqs\.([a-z0-9-]+)\./.exec(new URL(url).hostname)?.[1] ?? stack.region;
  return `arn:${partitionOf(stack.stackId)}:sqs:${region}:${account}:${name}`;
}

/** PASS when the queue policy denies every SQS request without TLS, whatever else it says (evaluators/policy/tls.ts). */
export const sqsQueueSslRequestsOnly: CheckRule<SqsClients> = async (context) => {
  const policy = await queuePolicy(context);
  if (!policy) {
    return { status: 'FAIL', message: 'the queue has no policy, so nothing denies requests without TLS' };
  }
  const queueArn =
    (await queueAttributes(context)).QueueArn ?? queueArnOfUrl(context.resource.physicalId, context.stack);
  const verdict = tlsEnforcement(policy, ['sqs:*'], [queueArn]);
  if (verdict.uncovered.length > 0) {
    return {
      status: 'FAIL',
      message:
        'no statement of the queue policy denies every sqs:* request to everyone when aws:SecureTransport is false',
      evidence: { denyingStatements: verdict.denyingStatements },
    };
  }
  return {
    status: 'PASS',
    message: 'the queue policy denies requests without TLS',
    evidence: { denyingStatements: verdict.denyingStatements },
  };
};
