import { GetBucketVersioningCommand } from '@aws-sdk/client-s3';
import type { CheckRule } from '../types.ts';
import type { S3Clients } from './clients.ts';

/** PASS when versioning is Enabled (and MFA delete too, when `isMfaDeleteEnabled`). */
export const s3BucketVersioningEnabled: CheckRule<S3Clients> = async ({
  resource,
  params,
  clients,
  memo,
}) => {
  const versioning = await memo(`versioning:${resource.physicalId}`, () =>
    clients.s3.send(new GetBucketVersioningCommand({ Bucket: resource.physicalId })),
  );
  const status = versioning.Status ?? 'never enabled';
  if (versioning.Status !== 'Enabled') {
    return { status: 'FAIL', message: `versioning is ${status}`, evidence: { Status: status } };
  }
  if (params.isMfaDeleteEnabled === true && versioning.MFADelete !== 'Enabled') {
    return {
      status: 'FAIL',
      message: 'versioning is Enabled but MFA delete is not',
      evidence: { MFADelete: versioning.MFADelete ?? 'Disabled' },
    };
  }
  return { status: 'PASS', message: 'versioning is Enabled' };
};
