import { resourcePolicyPublicity } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { SnsClients } from './clients.ts';
import { topicPolicy } from './topic-attributes.ts';

/**
 * PASS when no statement of the topic policy is public. The stock policy grants {"AWS":"*"} pinned by
 * AWS:SourceOwner, so it passes.
 */
export const snsTopicNoPublicAccess: CheckRule<SnsClients> = async (context) =>
  resourcePolicyPublicity(await topicPolicy(context), 'topic');
