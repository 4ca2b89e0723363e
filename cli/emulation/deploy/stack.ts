/** Stack bookkeeping in the emulator: listing, exports, what is still pending, why a stack failed, and removing it. */
import {
  type CloudFormationClient,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ListExportsCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import type { CfnTemplate, IntrinsicResolver } from '../template.ts';
import type { Undo } from './context.ts';
import { motoReason } from './moto-errors.ts';
import { oneLine } from './values.ts';

export const CUSTOM_RESOURCE = /^(Custom::|AWS::CloudFormation::CustomResource$)/;

export async function listStackResources(
  client: CloudFormationClient,
  stackId: string,
): Promise<StackResourceSummary[]> {
  const rows: StackResourceSummary[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListStackResourcesCommand({ StackName: stackId, NextToken }));
    rows.push(...(page.StackResourceSummaries ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return rows;
}

export async function listExports(client: CloudFormationClient): Promise<Record<string, string>> {
  const exports: Record<string, string> = {};
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListExportsCommand({ NextToken }));
    for (const item of page.Exports ?? []) if (item.Name && item.Value) exports[item.Name] = item.Value;
    NextToken = page.NextToken;
  } while (NextToken);
  return exports;
}

export async function pendingResources(
  client: CloudFormationClient,
  stackId: string,
  template: CfnTemplate,
  resolver: IntrinsicResolver,
): Promise<{ logicalId: string; type: string }[]> {
  const pending = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (CUSTOM_RESOURCE.test(resource.Type) && enabledOrUnknown(resolver, logicalId)) {
      pending.set(logicalId, resource.Type);
    }
  }
  try {
    for (const row of await listStackResources(client, stackId)) {
      if (row.LogicalResourceId && row.ResourceStatus?.endsWith('_IN_PROGRESS')) {
        pending.set(row.LogicalResourceId, row.ResourceType ?? 'unknown type');
      }
    }
  } catch {
    // the template alone names the custom resources
  }
  return [...pending].map(([logicalId, type]) => ({ logicalId, type }));
}

export function enabledOrUnknown(resolver: IntrinsicResolver, logicalId: string): boolean {
  try {
    return resolver.isResourceEnabled(logicalId);
  } catch {
    return true;
  }
}

export function summarize(pending: { logicalId: string; type: string }[]): string {
  const shown = pending.slice(0, 5).map((item) => `${item.logicalId} (${item.type})`);
  return shown.join(', ') + (pending.length > 5 ? ` and ${pending.length - 5} more` : '');
}

export async function failureReasons(client: CloudFormationClient, stackId: string, statusReason?: string) {
  try {
    const events = await client.send(new DescribeStackEventsCommand({ StackName: stackId }));
    const failed = (events.StackEvents ?? [])
      .filter((event) => event.ResourceStatus?.endsWith('_FAILED') && event.ResourceStatusReason)
      .map((event) => `${event.LogicalResourceId}: ${event.ResourceStatusReason}`);
    return oneLine([statusReason, ...failed].filter(Boolean).join('; '));
  } catch {
    return statusReason ? oneLine(statusReason) : '';
  }
}

/** DeleteStack (moto deletes what it created) after undoing what the helper created; a clause for the error. */
export async function removeStack(
  client: CloudFormationClient,
  stackRef: string,
  undo: Undo[],
): Promise<string> {
  for (const step of [...undo].reverse()) {
    await step().catch(() => undefined);
  }
  try {
    await client.send(new DeleteStackCommand({ StackName: stackRef }));
  } catch (error) {
    return `; deleting the stack failed (${motoReason(error)}), reset the emulator to remove what it created`;
  }
  try {
    const described = await client.send(new DescribeStacksCommand({ StackName: stackRef }));
    const status = described.Stacks?.[0]?.StackStatus;
    if (status && status !== 'DELETE_COMPLETE') return `; the stack is ${status}`;
  } catch {
    // a stack moto never registered is simply gone
  }
  return '; the stack was deleted';
}
