import { makeFamilyHandler } from '../run.ts';
import { createLogsClients, type LogsClients } from './clients.ts';
import { cloudwatchLogGroupEncrypted } from './cloudwatch-log-group-encrypted.ts';
import { cwLoggroupRetentionPeriodCheck } from './cw-loggroup-retention-period-check.ts';

/** Rules of the logs family, by check id (the inventory test pins this against the registry). */
export const rules = {
  'cw-loggroup-retention-period-check': cwLoggroupRetentionPeriodCheck,
  'cloudwatch-log-group-encrypted': cloudwatchLogGroupEncrypted,
};

export const makeHandler = (clients: LogsClients) => makeFamilyHandler('logs', rules, clients);

export const handler = makeHandler(createLogsClients());
