import { isPublicStatement } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { SqsClients } from './clients.ts';
import { queuePolicy } from './queue-attributes.ts';

/** PASS when the queue has no policy, or no statement of it is public. */
export const sqsQueueNoPublicAccess: CheckRule<SqsClients> = async (context) => {
  const policy = await queuePolicy(context);
  if (!policy) return { status: 'PASS', message: 'the queue has no resource policy' };
  const publicStatements = policy.Statement.map((statement, index) => ({ statement, index })).filter(
    ({ statement }) => isPublicStatement(statement),
  );
  if (publicStatements.length > 0) {
    const names = publicStatements.map(({ statement, index }) => statement.Sid ?? `#${index}`);
    return {
      status: 'FAIL',
      message: `the queue policy allows anyone (${names.join(', ')}) without a condition that pins the caller`,
      evidence: { publicStatements: names },
    };
  }
  return { status: 'PASS', message: 'no statement of the queue policy is public' };
};
