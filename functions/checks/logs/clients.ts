import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { createClients } from '../../shared/clients.ts';

/** The clients the CloudWatch Logs checks use; tests hand in clients pointed at the emulator or a named mock. */
export interface LogsClients {
  readonly cloudWatchLogs: CloudWatchLogsClient;
}

export function createLogsClients(): LogsClients {
  return { cloudWatchLogs: createClients.cloudWatchLogs() };
}
