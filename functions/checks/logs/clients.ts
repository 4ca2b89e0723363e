import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { createCloudWatchLogsClient } from '../../shared/clients.ts';

/** The clients the CloudWatch Logs checks use; tests hand in clients pointed at the emulator or a named mock. */
export interface LogsClients {
  readonly cloudWatchLogs: CloudWatchLogsClient;
}

export function createLogsClients(): LogsClients {
  return { cloudWatchLogs: createCloudWatchLogsClient() };
}
