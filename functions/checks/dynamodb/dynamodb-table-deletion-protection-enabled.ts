import type { CheckRule } from '../types.ts';
import type { DynamoDbClients } from './clients.ts';
import { describeTable } from './table-facts.ts';

/** PASS when the table has deletion protection. */
export const dynamodbTableDeletionProtectionEnabled: CheckRule<DynamoDbClients> = async (context) => {
  const table = await describeTable(context, context.resource.physicalId);
  const enabled = table.DeletionProtectionEnabled === true;
  return {
    status: enabled ? 'PASS' : 'FAIL',
    message: enabled ? 'deletion protection is enabled' : 'deletion protection is disabled',
    evidence: { DeletionProtectionEnabled: enabled },
  };
};
