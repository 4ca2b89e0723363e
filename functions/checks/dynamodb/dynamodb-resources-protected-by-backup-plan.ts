import {
  type BackupSelection,
  GetBackupSelectionCommand,
  paginateListBackupPlans,
  paginateListBackupSelections,
} from '@aws-sdk/client-backup';
import { ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import type { CheckContext, CheckRule } from '../types.ts';
import { type ResourceTags, selectionCovers, selectionUsesTags } from './backup-selection.ts';
import type { DynamoDbClients } from './clients.ts';

function tableArn({ stack }: CheckContext<DynamoDbClients>, tableName: string): string {
  const partition = stack.stackId.split(':')[1] || 'aws';
  return `arn:${partition}:dynamodb:${stack.region}:${stack.accountId}:table/${tableName}`;
}

async function tableTags({ clients }: CheckContext<DynamoDbClients>, arn: string): Promise<ResourceTags> {
  const tags: Record<string, string> = {};
  let nextToken: string | undefined;
  do {
    const page = await clients.dynamoDb.send(
      new ListTagsOfResourceCommand({ ResourceArn: arn, NextToken: nextToken }),
    );
    for (const tag of page.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
    nextToken = page.NextToken;
  } while (nextToken);
  return tags;
}

/** PASS when some selection of some backup plan covers the table, by ARN or by tag. */
export const dynamodbResourcesProtectedByBackupPlan: CheckRule<DynamoDbClients> = async (context) => {
  const { clients, resource } = context;
  const arn = tableArn(context, resource.physicalId);
  // Tags are read only when a tag-based selection needs them, and at most once.
  let tags: Promise<ResourceTags> | undefined;
  const loadTags = () => {
    tags ??= tableTags(context, arn);
    return tags;
  };
  let plansSeen = 0;
  for await (const plans of paginateListBackupPlans({ client: clients.backup }, {})) {
    for (const plan of plans.BackupPlansList ?? []) {
      plansSeen++;
      for await (const page of paginateListBackupSelections(
        { client: clients.backup },
        { BackupPlanId: plan.BackupPlanId },
      )) {
        for (const summary of page.BackupSelectionsList ?? []) {
          const response = await clients.backup.send(
            new GetBackupSelectionCommand({
              BackupPlanId: plan.BackupPlanId,
              SelectionId: summary.SelectionId,
            }),
          );
          const selection: BackupSelection | undefined = response.BackupSelection;
          if (!selection) continue;
          const resourceTags = selectionUsesTags(selection) ? await loadTags() : {};
          const coveredBy = selectionCovers(selection, arn, resourceTags);
          if (coveredBy) {
            return {
              status: 'PASS',
              message: `backup plan ${plan.BackupPlanName ?? plan.BackupPlanId} covers the table by ${coveredBy === 'tags' ? 'tag' : 'ARN'}`,
              evidence: {
                backupPlanId: plan.BackupPlanId,
                backupPlanName: plan.BackupPlanName,
                selectionName: selection.SelectionName,
                coveredBy,
              },
            };
          }
        }
      }
    }
  }
  return {
    status: 'FAIL',
    message:
      plansSeen === 0
        ? 'there is no backup plan in the region'
        : `none of the ${plansSeen} backup plan(s) selects the table`,
    evidence: { tableArn: arn, backupPlans: plansSeen },
  };
};
