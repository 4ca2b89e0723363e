import { makeFamilyHandler } from '../run.ts';
import { type CloudWatchClients, createCloudWatchClients } from './clients.ts';
import { cloudwatchAlarmActionCheck } from './cloudwatch-alarm-action-check.ts';
import { cloudwatchAlarmActionEnabledCheck } from './cloudwatch-alarm-action-enabled-check.ts';
import { stackAlarmCoverage } from './stack-alarm-coverage.ts';

/** Rules of the cloudwatch family, by check id (the inventory test pins this against the registry). */
export const rules = {
  'cloudwatch-alarm-action-check': cloudwatchAlarmActionCheck,
  'cloudwatch-alarm-action-enabled-check': cloudwatchAlarmActionEnabledCheck,
  'stack-alarm-coverage': stackAlarmCoverage,
};

export const makeHandler = (clients: CloudWatchClients) => makeFamilyHandler('cloudwatch', rules, clients);

export const handler = makeHandler(createCloudWatchClients());
