import { isTlsOnlyStatement } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { SnsClients } from './clients.ts';
import { topicPolicy } from './topic-attributes.ts';

/** PASS when the topic policy denies sns:Publish (or sns:*, *) to requests without TLS. */
export const snsTopicSslPublishOnly: CheckRule<SnsClients> = async (context) => {
  const policy = await topicPolicy(context);
  const statement = policy?.Statement.find((candidate) => isTlsOnlyStatement(candidate, ['sns:Publish']));
  if (!statement) {
    return {
      status: 'FAIL',
      message: 'no statement of the topic policy denies sns:Publish when aws:SecureTransport is false',
    };
  }
  return {
    status: 'PASS',
    message: 'the topic policy denies publishing without TLS',
    evidence: { statement: statement.Sid ?? 'unnamed' },
  };
};
