import { makeFamilyHandler } from '../run.ts';
import { createS3Clients, type S3Clients } from './clients.ts';
import { s3AccountLevelPublicAccessBlocksPeriodic } from './s3-account-level-public-access-blocks-periodic.ts';
import { s3BucketAclProhibited } from './s3-bucket-acl-prohibited.ts';
import { s3BucketLevelPublicAccessProhibited } from './s3-bucket-level-public-access-prohibited.ts';
import { s3BucketLoggingEnabled } from './s3-bucket-logging-enabled.ts';
import { s3BucketPublicReadProhibited } from './s3-bucket-public-read-prohibited.ts';
import { s3BucketPublicWriteProhibited } from './s3-bucket-public-write-prohibited.ts';
import { s3BucketReplicationEnabled } from './s3-bucket-replication-enabled.ts';
import { s3BucketServerSideEncryptionEnabled } from './s3-bucket-server-side-encryption-enabled.ts';
import { s3BucketSslRequestsOnly } from './s3-bucket-ssl-requests-only.ts';
import { s3BucketVersioningEnabled } from './s3-bucket-versioning-enabled.ts';
import { s3DefaultEncryptionKms } from './s3-default-encryption-kms.ts';
import { s3VersionLifecyclePolicyCheck } from './s3-version-lifecycle-policy-check.ts';

/** Rules of the s3 family, by check id (the inventory test pins this against the registry). */
export const rules = {
  's3-bucket-public-read-prohibited': s3BucketPublicReadProhibited,
  's3-bucket-public-write-prohibited': s3BucketPublicWriteProhibited,
  's3-bucket-level-public-access-prohibited': s3BucketLevelPublicAccessProhibited,
  's3-bucket-ssl-requests-only': s3BucketSslRequestsOnly,
  's3-bucket-server-side-encryption-enabled': s3BucketServerSideEncryptionEnabled,
  's3-default-encryption-kms': s3DefaultEncryptionKms,
  's3-bucket-versioning-enabled': s3BucketVersioningEnabled,
  's3-bucket-logging-enabled': s3BucketLoggingEnabled,
  's3-bucket-replication-enabled': s3BucketReplicationEnabled,
  's3-bucket-acl-prohibited': s3BucketAclProhibited,
  's3-version-lifecycle-policy-check': s3VersionLifecyclePolicyCheck,
  's3-account-level-public-access-blocks-periodic': s3AccountLevelPublicAccessBlocksPeriodic,
};

export const makeHandler = (clients: S3Clients) => makeFamilyHandler('s3', rules, clients);

export const handler = makeHandler(createS3Clients());
