import { Logger } from '@aws-lambda-powertools/logger';

/** One structured JSON logger per Lambda; handlers append stack, execution and check ids as keys. */
export const logger = new Logger({ serviceName: 'fitgate' });
