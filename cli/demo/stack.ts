/**
 * Replacing the demo's stack between releases. moto's CloudFormation cannot replay an update with
 * the configuration it ignores (deployStack applies that through the service APIs on create only),
 * so a release replaces the previous one: delete, then CreateStack under the same name. Tables with
 * deletion protection refuse a delete, as in AWS, so protection is lifted first.
 */
import {
  type CloudFormationClient,
  DeleteStackCommand,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import { type DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { CliError } from '../errors.ts';
import { findStack } from '../stacks.ts';

const DELETE_TIMEOUT_MS = 60_000;

export async function deleteStackCompletely(
  clients: { cloudFormation: CloudFormationClient; dynamoDb: DynamoDBClient },
  stackName: string,
): Promise<boolean> {
  const existing = await findStack(clients.cloudFormation, stackName);
  if (!existing) return false;
  for await (const page of paginateListStackResources(
    { client: clients.cloudFormation },
    { StackName: stackName },
  )) {
    for (const resource of page.StackResourceSummaries ?? []) {
      if (resource.ResourceType !== 'AWS::DynamoDB::Table' || !resource.PhysicalResourceId) continue;
      await clients.dynamoDb
        .send(
          new UpdateTableCommand({
            TableName: resource.PhysicalResourceId,
            DeletionProtectionEnabled: false,
          }),
        )
        .catch(() => undefined);
    }
  }
  await clients.cloudFormation.send(new DeleteStackCommand({ StackName: existing.StackId ?? stackName }));
  const deadline = Date.now() + DELETE_TIMEOUT_MS;
  for (;;) {
    const stack = await findStack(clients.cloudFormation, existing.StackId ?? stackName);
    if (!stack) return true;
    if (stack.StackStatus === 'DELETE_FAILED') {
      throw new CliError(`cannot delete stack ${stackName}: ${stack.StackStatusReason ?? 'DELETE_FAILED'}`);
    }
    if (Date.now() > deadline)
      throw new CliError(`stack ${stackName} is still ${stack.StackStatus} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
