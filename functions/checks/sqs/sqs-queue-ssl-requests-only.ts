import { isTlsOnlyStatement } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { SqsClients } from './clients.ts';
import { queuePolicy } from './queue-attributes.ts';

/** PASS when the queue policy denies every SQS action to requests without TLS. */
export const sqsQueueSslRequestsOnly: CheckRule<SqsClients> = async (context) => {
  const policy = await queuePolicy(context);
  if (!policy)
    return { status: 'FAIL', message: 'the queue has no policy, so nothing denies requests without TLS' };
  const statement = policy.Statement.find((candidate) => isTlsOnlyStatement(candidate, ['sqs:*']));
  if (!statement) {
    return {
      status: 'FAIL',
      message: 'no statement of the queue policy denies sqs:* when aws:SecureTransport is false',
    };
  }
  return {
    status: 'PASS',
    message: 'the queue policy denies requests without TLS',
    evidence: { statement: statement.Sid ?? 'unnamed' },
  };
};
