import { tlsEnforcement } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { SnsClients } from './clients.ts';
import { topicPolicy } from './topic-attributes.ts';

/** PASS when the topic policy denies sns:Publish without TLS to everyone, whatever else it says (evaluators/policy/tls.ts). */
export const snsTopicSslPublishOnly: CheckRule<SnsClients> = async (context) => {
  const policy = await topicPolicy(context);
  const verdict = tlsEnforcement(policy, ['sns:Publish'], [context.resource.physicalId]);
  if (verdict.uncovered.length > 0) {
    return {
      status: 'FAIL',
      message:
        'no statement of the topic policy denies sns:Publish to everyone when aws:SecureTransport is false',
      evidence: { denyingStatements: verdict.denyingStatements },
    };
  }
  return {
    status: 'PASS',
    message: 'the topic policy denies publishing without TLS',
    evidence: { denyingStatements: verdict.denyingStatements },
  };
};
