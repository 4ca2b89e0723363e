import { makeFamilyHandler } from '../run.ts';
import { createLambdaClients, type LambdaClients } from './clients.ts';
import { lambdaConcurrencyCheck } from './lambda-concurrency-check.ts';
import { lambdaDlqCheck } from './lambda-dlq-check.ts';
import { lambdaFunctionLogRetention } from './lambda-function-log-retention.ts';
import { lambdaFunctionNoSecretsInEnv } from './lambda-function-no-secrets-in-env.ts';
import { lambdaFunctionPublicAccessProhibited } from './lambda-function-public-access-prohibited.ts';
import { lambdaFunctionSettingsCheck } from './lambda-function-settings-check.ts';
import { lambdaFunctionUrlAuthRequired } from './lambda-function-url-auth-required.ts';
import { lambdaFunctionXrayEnabled } from './lambda-function-xray-enabled.ts';
import { lambdaSqsVisibilityTimeout } from './lambda-sqs-visibility-timeout.ts';

/** Rules of the lambda family, by check id (the inventory test pins this against the registry). */
export const rules = {
  'lambda-function-public-access-prohibited': lambdaFunctionPublicAccessProhibited,
  'lambda-function-settings-check': lambdaFunctionSettingsCheck,
  'lambda-function-url-auth-required': lambdaFunctionUrlAuthRequired,
  'lambda-function-no-secrets-in-env': lambdaFunctionNoSecretsInEnv,
  'lambda-dlq-check': lambdaDlqCheck,
  'lambda-function-xray-enabled': lambdaFunctionXrayEnabled,
  'lambda-concurrency-check': lambdaConcurrencyCheck,
  'lambda-function-log-retention': lambdaFunctionLogRetention,
  'lambda-sqs-visibility-timeout': lambdaSqsVisibilityTimeout,
};

export const makeHandler = (clients: LambdaClients) => makeFamilyHandler('lambda', rules, clients);

export const handler = makeHandler(createLambdaClients());
