import { makeFamilyHandler } from '../run.ts';
import { createS3Clients, type S3Clients } from './clients.ts';
import { s3BucketVersioningEnabled } from './s3-bucket-versioning-enabled.ts';

/** Rules of the s3 family, by check id (the inventory test pins this against the registry). */
export const rules = {
  's3-bucket-versioning-enabled': s3BucketVersioningEnabled,
};

export const makeHandler = (clients: S3Clients) => makeFamilyHandler('s3', rules, clients);

export const handler = makeHandler(createS3Clients());
