import {
  type CloudWatchLogsClient,
  type LogGroup,
  paginateDescribeLogGroups,
} from '@aws-sdk/client-cloudwatch-logs';
import type { CheckContext } from '../types.ts';
import type { LogsClients } from './clients.ts';

/**
 * The log group with exactly this name, or undefined when there is none. DescribeLogGroups only
 * searches by prefix (`/aws/lambda/f1` also finds `/aws/lambda/f10`), so match the name exactly.
 */
export async function findLogGroup(
  client: CloudWatchLogsClient,
  logGroupName: string,
): Promise<LogGroup | undefined> {
  for await (const page of paginateDescribeLogGroups({ client }, { logGroupNamePrefix: logGroupName })) {
    const match = page.logGroups?.find((group) => group.logGroupName === logGroupName);
    if (match) return match;
  }
  return undefined;
}

/** findLogGroup once per group and invocation, shared by the checks of the logs family. */
export function describeLogGroup(
  { clients, memo }: Pick<CheckContext<LogsClients>, 'clients' | 'memo'>,
  logGroupName: string,
): Promise<LogGroup | undefined> {
  return memo(`logs:group:${logGroupName}`, () => findLogGroup(clients.cloudWatchLogs, logGroupName));
}
