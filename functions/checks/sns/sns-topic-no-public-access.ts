import { isPublicStatement } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { SnsClients } from './clients.ts';
import { topicPolicy } from './topic-attributes.ts';

/**
 * PASS when no statement of the topic policy is public. The stock policy grants {"AWS":"*"} pinned by
 * AWS:SourceOwner, so it passes.
 */
export const snsTopicNoPublicAccess: CheckRule<SnsClients> = async (context) => {
  const policy = await topicPolicy(context);
  if (!policy) return { status: 'PASS', message: 'the topic has no access policy' };
  const publicStatements = policy.Statement.map((statement, index) => ({ statement, index })).filter(
    ({ statement }) => isPublicStatement(statement),
  );
  if (publicStatements.length > 0) {
    const names = publicStatements.map(({ statement, index }) => statement.Sid ?? `#${index}`);
    return {
      status: 'FAIL',
      message: `the topic policy allows anyone (${names.join(', ')}) without a condition that pins the caller`,
      evidence: { publicStatements: names },
    };
  }
  return { status: 'PASS', message: 'no statement of the topic policy is public' };
};
