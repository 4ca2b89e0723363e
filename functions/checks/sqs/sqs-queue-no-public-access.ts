import { resourcePolicyPublicity } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { SqsClients } from './clients.ts';
import { queuePolicy } from './queue-attributes.ts';

/** PASS when the queue has no policy, or no statement of it is public. */
export const sqsQueueNoPublicAccess: CheckRule<SqsClients> = async (context) =>
  resourcePolicyPublicity(await queuePolicy(context), 'queue');
