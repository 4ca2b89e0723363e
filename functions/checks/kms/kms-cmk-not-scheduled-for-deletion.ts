import type { CheckRule } from '../types.ts';
import type { KmsClients } from './clients.ts';
import { DELETION_STATES, describeKey } from './key-facts.ts';

/** PASS when the key is not pending deletion (nor pending replica deletion). */
export const kmsCmkNotScheduledForDeletion: CheckRule<KmsClients> = async (context) => {
  const key = await describeKey(context, context.resource.physicalId);
  const state = key.KeyState ?? 'unknown';
  if (DELETION_STATES.has(state)) {
    return {
      status: 'FAIL',
      message: `the key is ${state}${key.DeletionDate ? ` and will be deleted on ${key.DeletionDate.toISOString()}` : ''}`,
      evidence: { KeyState: state, DeletionDate: key.DeletionDate?.toISOString() },
    };
  }
  return { status: 'PASS', message: `the key is ${state}`, evidence: { KeyState: state } };
};
